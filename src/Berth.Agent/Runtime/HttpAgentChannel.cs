using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Core.Agents;
using Berth.Core.Auth;
using Berth.Core.Contracts;

namespace Berth.Agent.Runtime;

/// <summary>
/// The agent's end of the conversation when it runs on its own node: the same sync and report calls the
/// in-process agent makes, sent to the manager's <c>/api/agent/v1</c> with the agent token. Any failure throws,
/// so the reconciler skips the round and changes nothing on missing information.
/// </summary>
public sealed class HttpAgentChannel : IAgentChannel, IDisposable
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly string _token;

    public HttpAgentChannel(Uri manager, string token, HttpMessageHandler? handler = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var baseUri = manager.AbsoluteUri.EndsWith('/') ? manager : new Uri(manager.AbsoluteUri + "/");
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            UseCookies = false,
        }) { BaseAddress = baseUri, Timeout = CallTimeout };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("berth-agent/1.0");
        _token = token;
    }

    public Uri Manager => _http.BaseAddress!;

    public async Task<IReadOnlyList<KernelSpec>> SyncAsync(AgentHeartbeat heartbeat, CancellationToken ct)
    {
        using var response = await PostAsync("api/agent/v1/sync", heartbeat, ct);
        return await response.Content.ReadFromJsonAsync<List<KernelSpec>>(Json, ct)
               ?? throw new HttpRequestException($"The manager at {Manager} sent an empty answer to sync.");
    }

    /// <summary>
    /// One report at a time, in the order they were made: the reconciler sends start stages without waiting, and
    /// over a network two of them could otherwise overtake each other and show a session's steps twice.
    /// </summary>
    public async Task ReportAsync(string agentId, IReadOnlyList<KernelObservation> observations, CancellationToken ct)
    {
        await _reportOrder.WaitAsync(ct);
        try
        {
            using var _ = await PostAsync("api/agent/v1/report", new AgentReportRequest(agentId, observations), ct);
        }
        finally
        {
            _reportOrder.Release();
        }
    }

    private readonly SemaphoreSlim _reportOrder = new(1, 1);

    public async Task ReportStatsAsync(string agentId, IReadOnlyList<KernelStatsSample> samples, CancellationToken ct)
    {
        using var _ = await PostAsync("api/agent/v1/stats", new AgentStatsRequest(agentId, samples), ct);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.TryAddWithoutValidation("Authorization", AgentToken.AuthorizationValue(_token));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new HttpRequestException($"The manager at {Manager} did not answer within {CallTimeout.TotalSeconds:0} s.", e);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var detail = await response.Content.ReadAsStringAsync(ct);
            throw new HttpRequestException(response.StatusCode == HttpStatusCode.Unauthorized
                ? $"The manager at {Manager} refused this agent's token: give `berth agent --token` the server's agent token (<data>/agent-token)."
                : $"The manager at {Manager} answered {(int)response.StatusCode} to {path}: {detail}", null, response.StatusCode);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _reportOrder.Dispose();
    }
}
