namespace Berth.Core.Loops;

/// <summary>
/// Lets a background loop sleep until its next round or until someone has news for it. Wakes
/// coalesce: however many arrive while the loop is busy, it runs one more round, not one per wake.
/// Each loop has its own subclass, so that dependency injection keeps them apart.
/// </summary>
public abstract class WakeSignal
{
    private readonly SemaphoreSlim _signal = new(0);

    public void Wake()
    {
        if (_signal.CurrentCount == 0) _signal.Release();
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
