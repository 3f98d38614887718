using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Berth.Core.Agents;
using Berth.Core.Auth;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Terminals;

namespace Berth.Manager.Agents;

/// <summary>
/// An agent on another node, reached through its control API (<c>/agent/v1</c>) at the URL it declared in its
/// heartbeat. Failures become problems the user can read: 503 <c>agent-unavailable</c> when the agent cannot be
/// reached, 502 <c>agent-error</c> when it answers with an error.
/// </summary>
public sealed class RemoteAgentControl(string agentId, Uri controlUrl, HttpClient http, Func<string?> token) : IAgentControl
{
    /// <summary>How long a short call (inspect, nudge, the start of a log stream) may take. Exec has no limit of its own.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string AgentId { get; } = agentId;
    public Uri ControlUrl { get; } = controlUrl.AbsoluteUri.EndsWith('/') ? controlUrl : new Uri(controlUrl.AbsoluteUri + "/");

    public async Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken ct)
    {
        using var deadline = Deadline(ct);
        try
        {
            using var response = await SendAsync(HttpMethod.Get, $"agent/v1/images/inspect?reference={Uri.EscapeDataString(reference)}", null,
                HttpCompletionOption.ResponseContentRead, deadline.Token);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            await EnsureSuccessAsync(response, deadline.Token);
            return await response.Content.ReadFromJsonAsync<ImageInfo>(Json, deadline.Token);
        }
        catch (Exception e) when (e is HttpRequestException or BerthProblemException or JsonException
                                  || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // Asking every agent for an image must not fail because one of them is away: it simply does not count.
            return null;
        }
    }

    public Task<ExecOutcome> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken ct) =>
        CallAsync<ExecOutcome>(HttpMethod.Post, "agent/v1/exec", new AgentExecRequest(containerId, command), "exec", ct);

    public async Task StreamLogsAsync(string containerId, bool follow, Stream destination, CancellationToken ct)
    {
        HttpResponseMessage response;
        using (var connect = Deadline(ct))
        {
            try
            {
                response = await SendAsync(HttpMethod.Get,
                    $"agent/v1/logs?containerId={Uri.EscapeDataString(containerId)}&follow={(follow ? "true" : "false")}", null,
                    HttpCompletionOption.ResponseHeadersRead, connect.Token);
            }
            catch (HttpRequestException e)
            {
                throw Unavailable(e);
            }
        }
        using (response)
        {
            await EnsureSuccessAsync(response, ct);
            await using var source = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), ct);
                await destination.FlushAsync(ct);
            }
        }
    }

    /// <summary>The agent's <c>/agent/v1/terminal</c> WebSocket, spoken in <see cref="TerminalProtocol"/> as the manager's own is.</summary>
    public async Task<ITerminalConnection> OpenTerminalAsync(string containerId, TerminalRequest request, CancellationToken ct)
    {
        var http = new Uri(ControlUrl, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"agent/v1/terminal?containerId={Uri.EscapeDataString(containerId)}&cols={request.Columns}&rows={request.Rows}"));
        var ws = new UriBuilder(http) { Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        if (token() is { Length: > 0 } t) socket.Options.SetRequestHeader("Authorization", AgentToken.AuthorizationValue(t));
        using var connect = Deadline(ct);
        try
        {
            await socket.ConnectAsync(ws, connect.Token);
            return new WebSocketTerminal(socket);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw status switch
            {
                HttpStatusCode.NotFound => Problem.NotFound("container-not-found", $"Agent {AgentId} has no container '{containerId}'.", "session").ToException(),
                HttpStatusCode.Unauthorized => Error("refused the manager's token; Manager:AgentToken and the agent's --token must be the same"),
                0 => Unavailable(e),
                _ => Error($"refused the terminal ({(int)status})"),
            };
        }
    }

    /// <summary>Waits for the commit, however long it takes (like exec).</summary>
    public Task<ImageInfo> CommitAsync(string containerId, string repository, string tag, CancellationToken ct) =>
        CallAsync<ImageInfo>(HttpMethod.Post, "agent/v1/commit", new AgentCommitRequest(containerId, repository, tag), "commit", ct);

    public async Task<IReadOnlyDictionary<int, string>> InspectPortsAsync(string containerId, CancellationToken ct)
    {
        using var deadline = Deadline(ct);
        return await CallAsync<Dictionary<int, string>>(HttpMethod.Get, $"agent/v1/ports?containerId={Uri.EscapeDataString(containerId)}", null,
            "a port inspection", deadline.Token);
    }

    public async Task StartServiceAsync(string containerId, string name, string command, CancellationToken ct)
    {
        using var deadline = Deadline(ct);
        await CallAsync(HttpMethod.Post, "agent/v1/services/start", new AgentStartServiceRequest(containerId, name, command), deadline.Token);
    }

    public async Task RemoveImageAsync(string reference, CancellationToken ct)
    {
        using var deadline = Deadline(ct);
        await CallAsync(HttpMethod.Delete, $"agent/v1/images?reference={Uri.EscapeDataString(reference)}", null, deadline.Token);
    }

    /// <summary>Fire and forget: a missed nudge only means the agent acts at its next tick.</summary>
    public void Nudge() => _ = NudgeAsync();

    private async Task NudgeAsync()
    {
        try
        {
            using var deadline = Deadline(CancellationToken.None);
            using var _ = await SendAsync(HttpMethod.Post, "agent/v1/nudge", null, HttpCompletionOption.ResponseContentRead, deadline.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException) { }
    }

    /// <summary>A call whose answer is JSON: an unreachable agent is 503 <c>agent-unavailable</c>, an error or an answer it cannot read 502 <c>agent-error</c>.</summary>
    /// <param name="what">What was asked, for the message about an empty answer ("exec").</param>
    private async Task<T> CallAsync<T>(HttpMethod method, string path, object? body, string what, CancellationToken ct) where T : class
    {
        try
        {
            using var response = await SendAsync(method, path, body, HttpCompletionOption.ResponseContentRead, ct);
            await EnsureSuccessAsync(response, ct);
            return await response.Content.ReadFromJsonAsync<T>(Json, ct) ?? throw Error($"sent an empty answer to {what}");
        }
        catch (HttpRequestException e)
        {
            throw Unavailable(e);
        }
        catch (JsonException e)
        {
            throw Error($"sent an answer the manager does not understand ({e.Message})");
        }
    }

    /// <summary>A call whose answer has no body worth reading, with the same problems as <see cref="CallAsync{T}"/>.</summary>
    private async Task CallAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        try
        {
            using var response = await SendAsync(method, path, body, HttpCompletionOption.ResponseContentRead, ct);
            await EnsureSuccessAsync(response, ct);
        }
        catch (HttpRequestException e)
        {
            throw Unavailable(e);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, HttpCompletionOption completion, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(ControlUrl, path));
        if (token() is { Length: > 0 } t) request.Headers.TryAddWithoutValidation("Authorization", AgentToken.AuthorizationValue(t));
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        return await http.SendAsync(request, completion, ct);
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw Error("refused the manager's token; Manager:AgentToken and the agent's --token must be the same");
        string? detail = null;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
            if (problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("detail", out var d)) detail = d.GetString();
        }
        catch (JsonException) { }
        throw Error($"answered {(int)response.StatusCode}{(detail is null ? "" : ": " + detail)}");
    }

    private static CancellationTokenSource Deadline(CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(CallTimeout);
        return cts;
    }

    private BerthProblemException Unavailable(Exception e) =>
        new Problem(503, "agent-unavailable", $"Agent {AgentId} at {ControlUrl} cannot be reached ({e.Message}).").ToException();

    private BerthProblemException Error(string what) =>
        new Problem(502, "agent-error", $"Agent {AgentId} {what}.").ToException();
}
