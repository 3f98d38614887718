using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Berth.Core.Contracts;

namespace Berth.Client;

public sealed partial class BerthClient
{
    /// <summary>
    /// Session lifecycle events from the server-sent event stream, for one session (by name) or all of the
    /// caller's, as they happen. Ends when the server closes the stream; cancel <paramref name="ct"/> to stop
    /// watching. Does not reconnect. Only connecting is bound by <see cref="RequestTimeout"/>.
    /// </summary>
    public async IAsyncEnumerable<SessionEventDto> WatchEventsAsync(string? session = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var stream = await OpenEventStreamAsync(session, ct).ConfigureAwait(false);
        await foreach (var e in stream.ReadAllAsync(ct).ConfigureAwait(false)) yield return e;
    }

    /// <summary>
    /// Opens the event stream and returns once the server has answered: from then on no event is missed, so a
    /// caller that lists sessions after this returns and then reads the stream has caught up without a gap
    /// (the web console does this after every reconnect).
    /// </summary>
    public async Task<SessionEventStream> OpenEventStreamAsync(string? session = null, CancellationToken ct = default)
    {
        var path = "api/events" + (string.IsNullOrEmpty(session) ? "" : "?session=" + Esc(session));
        var response = await OpenStreamAsync(path, "text/event-stream", ct).ConfigureAwait(false);
        try
        {
            var source = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            return new SessionEventStream(this, response, source);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>An open event stream (see <see cref="OpenEventStreamAsync"/>); read it once.</summary>
    public sealed class SessionEventStream : IAsyncDisposable
    {
        private readonly BerthClient _client;
        private readonly HttpResponseMessage _response;
        private readonly Stream _source;

        internal SessionEventStream(BerthClient client, HttpResponseMessage response, Stream source)
        {
            _client = client;
            _response = response;
            _source = source;
        }

        public async IAsyncEnumerable<SessionEventDto> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
        {
            using var reader = new StreamReader(_source, Encoding.UTF8, leaveOpen: true);
            await using var events = ServerSentEventReader.ReadAsync(reader, ct).GetAsyncEnumerator(ct);
            while (true)
            {
                try
                {
                    if (!await events.MoveNextAsync().ConfigureAwait(false)) yield break;
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
                {
                    throw _client.Unreachable(e);
                }
                var sse = events.Current;
                if (sse.Type != "session") continue;
                SessionEventDto? value;
                try
                {
                    value = JsonSerializer.Deserialize<SessionEventDto>(sse.Data, JsonOptions);
                }
                catch (JsonException e)
                {
                    throw new BerthApiException(_response.StatusCode, null,
                        $"the server at {_client.Endpoint} sent an event this client does not understand ({e.Message})", e);
                }
                if (value is not null) yield return value;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _source.DisposeAsync().ConfigureAwait(false);
            _response.Dispose();
        }
    }
}
