namespace Berth.Core.Loops;

/// <summary>
/// The loop every background service runs: a round, then a wait, until stopped. A round that fails is reported and
/// the next one comes anyway (reconciliation converges by trying again); stopping ends the loop quietly, whether it
/// comes during a round or during the wait.
/// </summary>
public static class RoundLoop
{
    /// <param name="round">One pass of the work.</param>
    /// <param name="waitForNext">Until the next round: a delay, or a <see cref="WakeSignal"/> with a timeout.</param>
    /// <param name="failed">Told of a round that threw (other than by being stopped).</param>
    public static async Task RunAsync(Func<CancellationToken, Task> round, Func<CancellationToken, Task> waitForNext,
        Action<Exception> failed, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await round(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { failed(e); }
            try { await waitForNext(stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
