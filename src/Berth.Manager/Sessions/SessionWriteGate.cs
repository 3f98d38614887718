namespace Berth.Manager.Sessions;

/// <summary>
/// Status changes that read a session and write it back — agent reports, destroy, a scheduling round —
/// take turns within a manager, so one never overwrites another's step with a stale status (e.g. a
/// destroy arriving while the agent's RUNNING report is being saved). Across several managers the
/// scheduler's advisory lock covers placement; agent reports go to the one manager an agent talks to.
/// </summary>
public sealed class SessionWriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        return new Releaser(_gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
