using System.Threading.Channels;
using Berth.Client;
using Berth.Core.Contracts;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth session create --wait</c>: follows a session until there is an answer (RUNNING for an interactive
/// session, a terminal status for a batch one) and decides the exit code from the session at that point.
/// </summary>
internal static class SessionWait
{
    public const string Running = "RUNNING", Terminating = "TERMINATING", Terminated = "TERMINATED", Cancelled = "CANCELLED", Error = "ERROR";

    /// <summary>How often the session is fetched while the event stream is up (a safety net for missed events).</summary>
    public static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(2);

    /// <summary>How often it is fetched when the event stream cannot be had.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static bool IsTerminal(string status) => status is Terminated or Cancelled or Error;

    public static bool IsBatch(SessionDto s) => string.Equals(s.Type, "batch", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether waiting is over: a batch session when it has ended; an interactive one when it runs, or when it
    /// will not run any more (ending, ended).
    /// </summary>
    public static bool IsSettled(SessionDto s) =>
        IsBatch(s) ? IsTerminal(s.Status) : s.Status == Running || s.Status == Terminating || IsTerminal(s.Status);

    /// <summary>True when a batch session ended well: TERMINATED with result success (or, lacking a result, exit code 0).</summary>
    public static bool Succeeded(SessionDto s) =>
        s.Status == Terminated && (s.Result is { } r ? string.Equals(r, "success", StringComparison.OrdinalIgnoreCase) : s.ExitCode == 0);

    /// <summary>The exit code for a settled session: 0 for a running interactive session or a successful batch one; 1 otherwise.</summary>
    public static int ExitCodeFor(SessionDto s) =>
        (IsBatch(s) ? Succeeded(s) : s.Status == Running) ? BerthCli.ExitOk : BerthCli.ExitFailed;

    /// <summary>The sentence for a settled session that did not reach what was waited for; null when it did.</summary>
    public static string? FailureMessage(SessionDto s)
    {
        if (ExitCodeFor(s) == BerthCli.ExitOk) return null;
        var reason = string.IsNullOrEmpty(s.StatusReason) ? "" : $": {s.StatusReason}";
        if (IsBatch(s) && s.ExitCode is { } code)
            return $"batch session {s.Name} ended {s.Status} with exit code {code} ({s.Result ?? "failure"}){reason}";
        return IsBatch(s)
            ? $"batch session {s.Name} ended {s.Status} without an exit code{reason}"
            : $"session {s.Name} did not start: {s.Status}{reason}";
    }

    /// <summary>
    /// Follows the session until <see cref="IsSettled"/>, calling <paramref name="onUpdate"/> with every fetched
    /// state. Session events (the server-sent stream) trigger a fetch at once; the session is also fetched every
    /// <see cref="ResyncInterval"/> in case an event was missed, and every <see cref="PollInterval"/> when the
    /// stream cannot be opened or ends (both can be overridden, for tests).
    /// </summary>
    public static async Task<SessionDto> WaitAsync(
        BerthClient client, SessionDto created, Action<SessionDto> onUpdate, CancellationToken ct,
        TimeSpan? resyncInterval = null, TimeSpan? pollInterval = null)
    {
        var current = created;
        onUpdate(current);
        if (IsSettled(current)) return current;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var signals = Channel.CreateUnbounded<SessionEventDto>(new UnboundedChannelOptions { SingleReader = true });
        var pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in client.WatchEventsAsync(created.Name, stop.Token).ConfigureAwait(false))
                    if (e.SessionId == created.Id) signals.Writer.TryWrite(e);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // No event stream (an older server, a proxy that buffers): polling takes over.
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                signals.Writer.TryComplete();
            }
        }, CancellationToken.None);

        try
        {
            while (true)
            {
                // Fetch first: the session may have moved on before the event stream was open.
                current = await client.GetSessionAsync(created.Id.ToString(), ct).ConfigureAwait(false);
                onUpdate(current);
                if (IsSettled(current)) return current;

                var streaming = !signals.Reader.Completion.IsCompleted;
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(streaming ? resyncInterval ?? ResyncInterval : pollInterval ?? PollInterval);
                try
                {
                    if (streaming && await signals.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                        while (signals.Reader.TryRead(out _)) { }
                    else
                        await Task.Delay(Timeout.InfiniteTimeSpan, wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // The interval is up: fetch again.
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}

/// <summary>
/// The statuses a session went through, as shown while waiting: the server's status history when it sends one,
/// else each new status as it is seen.
/// </summary>
internal sealed class StatusTrail
{
    private readonly List<StatusChangeDto> _shown = [];
    private readonly Func<DateTimeOffset> _clock;
    private int _historySeen;

    public StatusTrail(Func<DateTimeOffset>? clock = null) => _clock = clock ?? (() => DateTimeOffset.Now);

    public IReadOnlyList<StatusChangeDto> Shown => _shown;

    /// <summary>The changes in <paramref name="s"/> not shown yet, in order; they count as shown from now on.</summary>
    public IReadOnlyList<StatusChangeDto> Update(SessionDto s)
    {
        var fresh = new List<StatusChangeDto>();
        if (s.StatusHistory.Count > 0)
        {
            // History only grows: what is past the part seen before is new, unless it repeats the status shown last.
            foreach (var change in s.StatusHistory.Skip(_historySeen))
            {
                _historySeen++;
                var last = fresh.Count > 0 ? fresh[^1] : _shown.LastOrDefault();
                if (last?.Status != change.Status) fresh.Add(change);
            }
        }
        else if (_shown.Count == 0 || _shown[^1].Status != s.Status)
        {
            fresh.Add(new StatusChangeDto(s.Status, s.StatusReason, _clock()));
        }
        _shown.AddRange(fresh);
        return fresh;
    }

    /// <summary><c>PENDING → SCHEDULED → PREPARING → CREATING → RUNNING</c>.</summary>
    public string Chain => string.Join(" → ", _shown.Select(c => c.Status));
}
