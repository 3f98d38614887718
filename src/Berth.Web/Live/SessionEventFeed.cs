using Berth.Client;
using Berth.Core.Contracts;
using Berth.Web.Auth;
using Microsoft.Extensions.Logging;

namespace Berth.Web.Live;

/// <summary>Whether the circuit is following the manager's event stream right now.</summary>
public enum FeedState { Connecting, Live, Reconnecting }

/// <summary>
/// Follows the manager's session event stream for one circuit (scoped), so pages move without polling.
/// After a dropped connection it reconnects by itself, backing off up to <see cref="MaxBackoff"/>, and raises
/// <see cref="Resynced"/> once the stream is open again: pages then re-read what they show, which catches up
/// on anything that happened while the stream was down (the stream has no replay of its own).
/// </summary>
public sealed partial class SessionEventFeed(ConsoleUser user, TimeProvider time, ILogger<SessionEventFeed> log) : IAsyncDisposable
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public FeedState State { get; private set; } = FeedState.Connecting;

    /// <summary>One lifecycle change of a session the user may see. Raised off the renderer's thread: use InvokeAsync.</summary>
    public event Func<SessionEventDto, Task>? Received;

    /// <summary>The stream is open (again); anything shown may be stale and should be re-read.</summary>
    public event Func<Task>? Resynced;

    /// <summary>The state changed (for the header's connection indicator).</summary>
    public event Func<Task>? StateChanged;

    /// <summary>Starts following (once per circuit; later calls do nothing).</summary>
    public void Start()
    {
        if (_loop is not null) return;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var stream = await user.Client.OpenEventStreamAsync(ct: ct);
                backoff = TimeSpan.FromSeconds(1);
                await SetStateAsync(FeedState.Live);
                await RaiseAsync(Resynced);
                await foreach (var e in stream.ReadAllAsync(ct))
                    if (Received is { } handlers)
                        foreach (var handler in handlers.GetInvocationList().Cast<Func<SessionEventDto, Task>>())
                            await Guard(() => handler(e));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            // Whatever ended the stream (the manager gone, a cut connection, a proxy's timeout, an event this console
            // cannot read), the loop must go on: a feed that stopped here would leave the page stale for good.
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Log.StreamLost(log, e.Message);
            }
            if (ct.IsCancellationRequested) return;
            await SetStateAsync(FeedState.Reconnecting);
            try
            {
                await Task.Delay(backoff, time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private async Task SetStateAsync(FeedState state)
    {
        if (State == state) return;
        State = state;
        await RaiseAsync(StateChanged);
    }

    private async Task RaiseAsync(Func<Task>? handlers)
    {
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Func<Task>>()) await Guard(handler);
    }

    // A page that fails to handle an event must not stop the feed for the other pages of the circuit.
    private async Task Guard(Func<Task> handler)
    {
        try
        {
            await handler();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.HandlerFailed(log, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try { await _loop; }
            catch (OperationCanceledException) { }
        }
        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Session event stream lost ({Reason}); reconnecting.")]
        public static partial void StreamLost(ILogger log, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "A page failed to handle a session event.")]
        public static partial void HandlerFailed(ILogger log, Exception e);
    }
}
