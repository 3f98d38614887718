using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Berth.Core.Contracts;

namespace Berth.Client;

public sealed partial class BerthClient
{
    /// <summary>A running session's latest resource use (CPU, memory, GPU, network), as its agents last measured it.</summary>
    public Task<SessionUsageDto> GetSessionUsageAsync(string session, CancellationToken ct = default) =>
        SendJsonAsync<SessionUsageDto>(HttpMethod.Get, SessionPath(session, "/usage"), null, ct);

    /// <summary>
    /// The session's usage now, then again each time its agents measure it (every few seconds), until the server
    /// closes the stream or <paramref name="ct"/> is cancelled. Does not reconnect; only connecting is bound by
    /// <see cref="RequestTimeout"/>.
    /// </summary>
    public async IAsyncEnumerable<SessionUsageDto> WatchSessionUsageAsync(string session, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var response = await OpenStreamAsync(SessionPath(session, "/usage?follow=true"), "text/event-stream", ct).ConfigureAwait(false);
        await using var source = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var reader = new StreamReader(source, Encoding.UTF8);
        await using var events = ServerSentEventReader.ReadAsync(reader, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            try
            {
                if (!await events.MoveNextAsync().ConfigureAwait(false)) yield break;
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
            {
                throw Unreachable(e);
            }
            if (events.Current.Type != "usage") continue;
            SessionUsageDto? usage;
            try
            {
                usage = JsonSerializer.Deserialize<SessionUsageDto>(events.Current.Data, JsonOptions);
            }
            catch (JsonException e)
            {
                throw new BerthApiException(response.StatusCode, null,
                    $"the server at {Endpoint} sent a usage event this client does not understand ({e.Message})", e);
            }
            if (usage is not null) yield return usage;
        }
    }
}
