using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Berth.Core.Contracts;

namespace Berth.Client;

public sealed partial class BerthClient
{
    // ---- images --------------------------------------------------------------------------------------

    /// <summary>The images the caller may start sessions from.</summary>
    public Task<IReadOnlyList<ImageDto>> ListImagesAsync(CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<ImageDto>>(HttpMethod.Get, "api/images", null, ct);

    /// <summary>Registers an image already present in the agent's Docker engine in the catalog (admins only).</summary>
    public Task<ImageDto> ImportImageAsync(ImportImageRequest request, CancellationToken ct = default) =>
        SendJsonAsync<ImageDto>(HttpMethod.Post, "api/admin/images/import", request, ct);

    /// <summary>Deletes an image from the catalog (owners: their customized images; admins: any) and from the agents' Docker engines.</summary>
    public Task<ImageDto> DeleteImageAsync(string image, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        return SendJsonAsync<ImageDto>(HttpMethod.Delete, "api/images/" + Esc(image), null, ct);
    }

    // ---- sessions ------------------------------------------------------------------------------------

    /// <summary>Asks for a new session; it comes back PENDING and is scheduled and started in the background.</summary>
    /// <remarks>Safe to retry: see <see cref="CreateSessionAsync(CreateSessionRequest, string?, CancellationToken)"/>.</remarks>
    public Task<SessionDto> CreateSessionAsync(CreateSessionRequest request, CancellationToken ct = default) =>
        CreateSessionAsync(request, idempotencyKey: null, ct);

    /// <summary>
    /// As <see cref="CreateSessionAsync(CreateSessionRequest, CancellationToken)"/>, under <paramref name="idempotencyKey"/>
    /// (a fresh one when null). A lost answer is retried with the same key, so the server answers with the session it
    /// created rather than a second one; a caller that keeps the key can also retry after this call failed.
    /// </summary>
    public Task<SessionDto> CreateSessionAsync(CreateSessionRequest request, string? idempotencyKey, CancellationToken ct = default) =>
        SendCreateAsync<SessionDto>("api/sessions", request, idempotencyKey, ct);

    /// <summary>The caller's sessions: live ones only, or with <paramref name="all"/> also ended ones.</summary>
    public Task<IReadOnlyList<SessionDto>> ListSessionsAsync(bool all = false, CancellationToken ct = default) =>
        ListSessionsAsync(all, everyone: false, ct);

    /// <summary>As <see cref="ListSessionsAsync(bool, CancellationToken)"/>; <paramref name="everyone"/> (admins only, 403 otherwise) adds the sessions of the users the caller outranks.</summary>
    public Task<IReadOnlyList<SessionDto>> ListSessionsAsync(bool all, bool everyone, CancellationToken ct = default)
    {
        var query = string.Join('&', new[] { all ? "all=true" : null, everyone ? "everyone=true" : null }.OfType<string>());
        return SendJsonAsync<IReadOnlyList<SessionDto>>(HttpMethod.Get, "api/sessions" + (query.Length > 0 ? "?" + query : ""), null, ct);
    }

    /// <summary>One session; <paramref name="session"/> is its name or id.</summary>
    public Task<SessionDto> GetSessionAsync(string session, CancellationToken ct = default) =>
        SendJsonAsync<SessionDto>(HttpMethod.Get, SessionPath(session), null, ct);

    /// <summary>Stops a session: it comes back TERMINATING, or CANCELLED when it had not started yet.</summary>
    public Task<SessionDto> DestroySessionAsync(string session, CancellationToken ct = default) =>
        DestroySessionAsync(session, force: false, ct);

    /// <summary>As <see cref="DestroySessionAsync(string, CancellationToken)"/>; <paramref name="force"/> also stops a session that is being committed to an image.</summary>
    public Task<SessionDto> DestroySessionAsync(string session, bool force, CancellationToken ct = default) =>
        SendJsonAsync<SessionDto>(HttpMethod.Delete, SessionPath(session) + (force ? "?force=true" : ""), null, ct);

    /// <summary>Pushes a RUNNING interactive session's network idle deadline to now + <paramref name="seconds"/> (default: the timeout).</summary>
    public Task<SessionDto> KeepSessionAliveAsync(string session, double? seconds = null, CancellationToken ct = default) =>
        SendJsonAsync<SessionDto>(HttpMethod.Post, SessionPath(session, "/keep-alive"), new KeepAliveRequest(seconds), ct);

    /// <summary>Admins: exempt a session from every idle check, or take the exemption back.</summary>
    public Task<SessionDto> SetSessionIdleExemptAsync(string session, bool exempt, CancellationToken ct = default) =>
        SendJsonAsync<SessionDto>(HttpMethod.Post, "api/admin/sessions/" + Esc(session) + "/idle-exempt", new IdleExemptRequest(exempt), ct);

    /// <summary>Renames a RUNNING session.</summary>
    public Task<SessionDto> RenameSessionAsync(string session, string newName, CancellationToken ct = default) =>
        SendJsonAsync<SessionDto>(HttpMethod.Post, SessionPath(session, "/rename"), new RenameSessionRequest(newName), ct);

    /// <summary>
    /// Commits a RUNNING interactive session's container to a customized image (<c>customized-IMAGENAME</c>, visible to
    /// the caller only) and returns it once it is in the catalog; bound by <see cref="RequestTimeout"/>.
    /// </summary>
    public Task<ImageDto> CommitSessionAsync(string session, string imageName, CancellationToken ct = default) =>
        SendJsonAsync<ImageDto>(HttpMethod.Post, SessionPath(session, "/commit"), new CommitSessionRequest(imageName), ct);

    /// <summary>
    /// Runs a command in the session's container to completion and returns its exit code and output. The call
    /// lasts as long as the command does, so it is not bound by <see cref="RequestTimeout"/>; cancel
    /// <paramref name="ct"/> to give up on it.
    /// </summary>
    public Task<ExecResultDto> ExecAsync(string session, IReadOnlyList<string> command, CancellationToken ct = default) =>
        ExecAsync(session, command, kernel: null, ct);

    /// <summary>As <see cref="ExecAsync(string, IReadOnlyList{string}, CancellationToken)"/>, in one container of a cluster session (main1, sub1, …).</summary>
    public async Task<ExecResultDto> ExecAsync(string session, IReadOnlyList<string> command, string? kernel, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        // A linked source that is never given a deadline: the answer comes when the command has finished.
        using var noDeadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var response = await SendCoreAsync(HttpMethod.Post, SessionPath(session, "/exec"), new ExecRequest(command, kernel), ct,
            noDeadline).ConfigureAwait(false);
        try
        {
            return await response.Content.ReadFromJsonAsync<ExecResultDto>(JsonOptions, ct).ConfigureAwait(false)
                ?? throw new BerthApiException(response.StatusCode, null, $"the server at {Endpoint} sent an empty answer to exec");
        }
        catch (JsonException e)
        {
            throw new BerthApiException(response.StatusCode, null,
                $"the server at {Endpoint} sent an answer this client does not understand ({e.Message})", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
        {
            throw Unreachable(e);
        }
    }

    /// <summary>
    /// Copies the container's output (stdout and stderr, as the server interleaves them) into
    /// <paramref name="destination"/> as it arrives, flushing after every read. Without <paramref name="follow"/>
    /// it ends with what there is; with it, when the session's output ends (or <paramref name="ct"/> is cancelled).
    /// Only connecting is bound by <see cref="RequestTimeout"/>. Returns the number of bytes copied.
    /// </summary>
    public Task<long> StreamLogsAsync(string session, bool follow, Stream destination, CancellationToken ct = default) =>
        StreamLogsAsync(session, follow, kernel: null, destination, ct);

    /// <summary>As <see cref="StreamLogsAsync(string, bool, Stream, CancellationToken)"/>, of one container of a cluster session (main1, sub1, …; null: main1).</summary>
    public async Task<long> StreamLogsAsync(string session, bool follow, string? kernel, Stream destination, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var response = await OpenStreamAsync(LogsPath(session, follow, kernel), "text/plain", ct).ConfigureAwait(false);
        await using var source = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new byte[16 * 1024];
        long total = 0;
        while (true)
        {
            int n;
            try
            {
                n = await source.ReadAsync(buffer, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
            {
                throw Unreachable(e);
            }
            if (n == 0) return total;
            await destination.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            await destination.FlushAsync(ct).ConfigureAwait(false);
            total += n;
        }
    }

    /// <summary>The container's output line by line (UTF-8), as <see cref="StreamLogsAsync"/> fetches it.</summary>
    public IAsyncEnumerable<string> ReadLogLinesAsync(string session, bool follow, CancellationToken ct = default) =>
        ReadLogLinesAsync(session, follow, kernel: null, ct);

    /// <summary>As <see cref="ReadLogLinesAsync(string, bool, CancellationToken)"/>, of one container (main1, sub1, …; null: main1).</summary>
    public async IAsyncEnumerable<string> ReadLogLinesAsync(string session, bool follow, string? kernel, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var response = await OpenStreamAsync(LogsPath(session, follow, kernel), "text/plain", ct).ConfigureAwait(false);
        await using var source = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var reader = new StreamReader(source, Encoding.UTF8);
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
            {
                throw Unreachable(e);
            }
            if (line is null) yield break;
            yield return line;
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------------

    private static string SessionPath(string session, string suffix = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(session);
        return "api/sessions/" + Esc(session) + suffix;
    }

    private static string LogsPath(string session, bool follow, string? kernel)
    {
        var query = string.Join('&', new[] { follow ? "follow=true" : null, kernel is null ? null : "kernel=" + Esc(kernel) }.OfType<string>());
        return SessionPath(session, "/logs") + (query.Length > 0 ? "?" + query : "");
    }

    /// <summary>A GET whose body is read as a stream for as long as it lasts; only getting the headers may time out.</summary>
    private Task<HttpResponseMessage> OpenStreamAsync(string path, string accept, CancellationToken ct) =>
        SendCoreAsync(HttpMethod.Get, path, null, ct, timeout: null, accept: accept);
}
