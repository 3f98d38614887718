using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Core.Contracts;

namespace Berth.Client;

/// <summary>
/// Typed access to a Berth manager: every call of its HTTP API, plus resumable streaming uploads and
/// downloads through the storage API. Thread-safe; one instance per endpoint is enough.
/// </summary>
public sealed partial class BerthClient : IDisposable
{
    /// <summary>The JSON the API speaks: camelCase, web defaults.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private volatile ApiKeyPair? _credentials;

    /// <param name="endpoint">The manager's base URI, e.g. <c>http://127.0.0.1:8090</c>.</param>
    /// <param name="credentials">The keypair to sign with; null for anonymous calls (login, health).</param>
    /// <param name="handler">The transport; a tuned <see cref="SocketsHttpHandler"/> when null. Not disposed by the client when given.</param>
    public BerthClient(Uri endpoint, ApiKeyPair? credentials = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri) throw new ArgumentException("The endpoint must be an absolute URI.", nameof(endpoint));
        Endpoint = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        _credentials = credentials;

        var ownsHandler = handler is null;
        handler ??= CreateDefaultHandler();
        var signing = new SigningHandler(() => _credentials, handler);
        // Disposing the signing handler disposes the transport under it: only when this client made that transport,
        // so that many clients can share one (the web console's circuits do).
        _ownedSigning = ownsHandler ? signing : null;
        // Transfers run for as long as they need; ordinary API calls get RequestTimeout through a token instead.
        _http = new HttpClient(signing, disposeHandler: false) { BaseAddress = Endpoint, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("berth-client/1.0");
    }

    private readonly SigningHandler? _ownedSigning;

    /// <summary>The manager's base URI (always ending in <c>/</c>).</summary>
    public Uri Endpoint { get; }

    /// <summary>The keypair requests are signed with. <see cref="LoginAsync"/> sets it.</summary>
    public ApiKeyPair? Credentials
    {
        get => _credentials;
        set => _credentials = value;
    }

    /// <summary>How long an ordinary API call may take. Uploads and downloads have no overall limit.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>How many times an upload or download continues by itself after the connection breaks.</summary>
    public int TransferRetries { get; set; } = 3;

    public static SocketsHttpHandler CreateDefaultHandler() => new()
    {
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
        UseCookies = false,
    };

    public void Dispose()
    {
        _http.Dispose();
        _ownedSigning?.Dispose();
    }

    // ---- auth ----------------------------------------------------------------------------------------

    /// <summary>Exchanges email and password for a keypair, and signs later calls with it.</summary>
    /// <remarks>A server busy with other logins answers 503 <c>login-busy</c>; that is retried a few times, a second apart. A lockout (429) is not.</remarks>
    public async Task<LoginResponse> LoginAsync(string email, string password, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await SendJsonAsync<LoginResponse>(HttpMethod.Post, "api/auth/login", new LoginRequest(email, password), ct).ConfigureAwait(false);
                Credentials = new ApiKeyPair(response.AccessKey, response.SecretKey);
                return response;
            }
            catch (BerthApiException e) when (e.Rule == "login-busy" && attempt < 4)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Revokes the keypair this client signs with.</summary>
    public Task LogoutAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Post, "api/auth/logout", null, ct);

    public Task<UserDto> GetCurrentUserAsync(CancellationToken ct = default) => SendJsonAsync<UserDto>(HttpMethod.Get, "api/auth/me", null, ct);

    public Task<HealthDto> GetHealthAsync(CancellationToken ct = default) => SendJsonAsync<HealthDto>(HttpMethod.Get, "health", null, ct);

    // ---- admin ---------------------------------------------------------------------------------------

    public Task<UserDto> CreateUserAsync(CreateUserRequest request, CancellationToken ct = default) =>
        SendJsonAsync<UserDto>(HttpMethod.Post, "api/admin/users", request, ct);

    public Task<IReadOnlyList<UserDto>> ListUsersAsync(CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<UserDto>>(HttpMethod.Get, "api/admin/users", null, ct);

    public Task<ProjectDto> CreateProjectAsync(CreateProjectRequest request, CancellationToken ct = default) =>
        SendJsonAsync<ProjectDto>(HttpMethod.Post, "api/admin/projects", request, ct);

    public Task<IReadOnlyList<ProjectDto>> ListProjectsAsync(CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<ProjectDto>>(HttpMethod.Get, "api/admin/projects", null, ct);

    public Task<ProjectDto> AddProjectMemberAsync(string project, string email, CancellationToken ct = default) =>
        SendJsonAsync<ProjectDto>(HttpMethod.Post, $"api/admin/projects/{Esc(project)}/members", new AddProjectMemberRequest(email), ct);

    // ---- vfolders ------------------------------------------------------------------------------------

    public Task<IReadOnlyList<StorageHostDto>> ListStorageHostsAsync(CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<StorageHostDto>>(HttpMethod.Get, "api/vfolders/hosts", null, ct);

    public Task<IReadOnlyList<VFolderDto>> ListVFoldersAsync(CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<VFolderDto>>(HttpMethod.Get, "api/vfolders", null, ct);

    public Task<VFolderDto> CreateVFolderAsync(CreateVFolderRequest request, CancellationToken ct = default) =>
        CreateVFolderAsync(request, idempotencyKey: null, ct);

    /// <summary>A new folder under <paramref name="idempotencyKey"/> (fresh when null); retried as <see cref="CreateSessionAsync(CreateSessionRequest, string?, CancellationToken)"/> is.</summary>
    public Task<VFolderDto> CreateVFolderAsync(CreateVFolderRequest request, string? idempotencyKey, CancellationToken ct = default) =>
        SendCreateAsync<VFolderDto>("api/vfolders", request, idempotencyKey, ct);

    /// <summary>One folder, with its size and file count. <paramref name="folder"/> is its name or id.</summary>
    public Task<VFolderDto> GetVFolderAsync(string folder, CancellationToken ct = default) =>
        SendJsonAsync<VFolderDto>(HttpMethod.Get, FolderPath(folder), null, ct);

    public Task<VFolderDto> RenameVFolderAsync(string folder, string newName, CancellationToken ct = default) =>
        SendJsonAsync<VFolderDto>(HttpMethod.Post, FolderPath(folder, "/rename"), new RenameVFolderRequest(newName), ct);

    /// <summary>Moves the folder to the trash (status delete-pending); <see cref="RecoverVFolderAsync"/> undoes it.</summary>
    public Task<VFolderDto> DeleteVFolderAsync(string folder, CancellationToken ct = default) =>
        SendJsonAsync<VFolderDto>(HttpMethod.Delete, FolderPath(folder), null, ct);

    public Task<VFolderDto> RecoverVFolderAsync(string folder, CancellationToken ct = default) =>
        SendJsonAsync<VFolderDto>(HttpMethod.Post, FolderPath(folder, "/recover"), null, ct);

    /// <summary>Erases a folder that is in the trash, for good.</summary>
    public Task PurgeVFolderAsync(string folder, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, FolderPath(folder, "/purge"), null, ct);

    /// <summary>Starts a clone; the returned folder has status <c>cloning</c> until the copy is done.</summary>
    public Task<VFolderDto> CloneVFolderAsync(string folder, CloneVFolderRequest request, CancellationToken ct = default) =>
        SendJsonAsync<VFolderDto>(HttpMethod.Post, FolderPath(folder, "/clone"), request, ct);

    public Task<IReadOnlyList<FolderShareDto>> ListSharesAsync(string folder, CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<FolderShareDto>>(HttpMethod.Get, FolderPath(folder, "/shares"), null, ct);

    public Task<FolderShareDto> ShareVFolderAsync(string folder, string email, string? permission = null, CancellationToken ct = default) =>
        SendJsonAsync<FolderShareDto>(HttpMethod.Post, FolderPath(folder, "/shares"), new ShareVFolderRequest(email, permission), ct);

    public Task UnshareVFolderAsync(string folder, string email, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Delete, FolderPath(folder, "/shares/" + Esc(email)), null, ct);

    // ---- files ---------------------------------------------------------------------------------------

    /// <summary>The entries of a directory inside the folder (its root when <paramref name="path"/> is null or empty).</summary>
    public Task<IReadOnlyList<FileEntryDto>> ListFilesAsync(string folder, string? path = null, CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<FileEntryDto>>(HttpMethod.Get,
            FolderPath(folder, "/files") + (string.IsNullOrEmpty(path) ? "" : "?path=" + Esc(path)), null, ct);

    public Task MkdirAsync(string folder, string path, bool parents = false, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, FolderPath(folder, "/files/mkdir"), new MkdirRequest(path, parents), ct);

    public Task MoveFileAsync(string folder, string source, string destination, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, FolderPath(folder, "/files/move"), new MoveRequest(source, destination), ct);

    public Task DeleteFilesAsync(string folder, IReadOnlyList<string> paths, bool recursive = false, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, FolderPath(folder, "/files/delete"), new DeleteFilesRequest(paths, recursive), ct);

    /// <summary>A storage ticket for uploading one file to <paramref name="destPath"/>; most callers want <see cref="UploadFileAsync"/>.</summary>
    public Task<TransferTicketDto> CreateUploadTicketAsync(string folder, string destPath, long size, CancellationToken ct = default) =>
        SendJsonAsync<TransferTicketDto>(HttpMethod.Post, FolderPath(folder, "/files/upload"), new UploadRequest(destPath, size), ct);

    /// <summary>A storage ticket for downloading a file or directory; most callers want <see cref="DownloadAsync"/>.</summary>
    public Task<TransferTicketDto> CreateDownloadTicketAsync(string folder, string path, CancellationToken ct = default) =>
        SendJsonAsync<TransferTicketDto>(HttpMethod.Post, FolderPath(folder, "/files/download"), new DownloadRequest(path), ct);

    /// <summary>
    /// The id of a folder given by name or id, from the folder list (cheap, unlike <see cref="GetVFolderAsync"/>
    /// which measures the folder). Null when no single accessible folder matches.
    /// </summary>
    public async Task<Guid?> ResolveVFolderIdAsync(string folder, CancellationToken ct = default)
    {
        if (Guid.TryParse(folder, out var id)) return id;
        var folders = await ListVFoldersAsync(ct).ConfigureAwait(false);
        var matches = folders.Where(f => f.Name == folder).ToList();
        if (matches.Count == 1) return matches[0].Id;
        // A name can exist both as the caller's folder and a project's: prefer the caller's own, as the server does.
        var own = matches.Where(f => f.IsOwner && f.Ownership == "user").ToList();
        return own.Count == 1 ? own[0].Id : null;
    }

    // ---- plumbing ------------------------------------------------------------------------------------

    internal static string Esc(string segment) => Uri.EscapeDataString(segment);

    private static string FolderPath(string folder, string suffix = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return "api/vfolders/" + Esc(folder) + suffix;
    }

    private async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var response = await SendCoreAsync(method, path, body, ct).ConfigureAwait(false);
    }

    private async Task<T> SendJsonAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct, string? idempotencyKey = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        using var response = await SendCoreAsync(method, path, body, ct, timeout, idempotencyKey: idempotencyKey).ConfigureAwait(false);
        try
        {
            var value = await response.Content.ReadFromJsonAsync<T>(JsonOptions, timeout.Token).ConfigureAwait(false);
            return value ?? throw new BerthApiException(response.StatusCode, null,
                $"the server at {Endpoint} sent an empty answer to {method} /{path}");
        }
        catch (JsonException e)
        {
            throw new BerthApiException(response.StatusCode, null,
                $"the server at {Endpoint} sent an answer this client does not understand ({e.Message})", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw TimedOut(e);
        }
    }

    private async Task<HttpResponseMessage> SendCoreAsync(
        HttpMethod method, string path, object? body, CancellationToken ct, CancellationTokenSource? timeout = null, string? accept = null,
        string? idempotencyKey = null)
    {
        using var ownTimeout = timeout is null ? CancellationTokenSource.CreateLinkedTokenSource(ct) : null;
        ownTimeout?.CancelAfter(RequestTimeout);
        var token = (timeout ?? ownTimeout)!.Token;

        using var request = new HttpRequestMessage(method, new Uri(Endpoint, path));
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: JsonOptions);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw TimedOut(e);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
        await EnsureSuccessAsync(response, token).ConfigureAwait(false);
        return response;
    }

    internal BerthApiException Unreachable(Exception e) =>
        new(null, null, $"cannot reach the Berth server at {Endpoint.AbsoluteUri.TrimEnd('/')}: {Innermost(e).Message}", e);

    private BerthApiException TimedOut(Exception e) =>
        new(null, null, $"the Berth server at {Endpoint.AbsoluteUri.TrimEnd('/')} did not answer within {RequestTimeout.TotalSeconds:0} s", e);

    private static Exception Innermost(Exception e)
    {
        // HttpRequestException wraps SocketException etc.; their message ("Connection refused") is the useful one.
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    /// <summary>Turns a non-2xx response into a <see cref="BerthApiException"/> carrying its problem body.</summary>
    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        using (response)
        {
            ProblemBody? problem = null;
            string? text = null;
            try
            {
                text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (!string.IsNullOrWhiteSpace(text) && (mediaType is null || mediaType.Contains("json", StringComparison.OrdinalIgnoreCase)))
                    problem = JsonSerializer.Deserialize<ProblemBody>(text, JsonOptions);
            }
            catch (JsonException) { }
            catch (HttpRequestException) { }
            catch (IOException) { }

            var status = (int)response.StatusCode;
            var message = problem?.Detail ?? problem?.Title;
            if (string.IsNullOrWhiteSpace(message))
            {
                var reason = response.ReasonPhrase ?? response.StatusCode.ToString();
                var snippet = text is { Length: > 0 } && problem is null ? ": " + Shorten(text) : "";
                message = $"the server answered {status} {reason}{snippet}";
            }
            throw new BerthApiException(response.StatusCode, problem, message);
        }
    }

    private static string Shorten(string text)
    {
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= 200 ? text : text[..200] + "…";
    }

    internal static void AddBearer(HttpRequestMessage request, TransferTicketDto ticket) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ticket.Token);

    internal Uri ResolveTicketUri(TransferTicketDto ticket) => new(Endpoint, ticket.Url);
}
