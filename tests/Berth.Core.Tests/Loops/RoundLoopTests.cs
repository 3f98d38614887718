using Berth.Core.Loops;

namespace Berth.Core.Tests.Loops;

public class RoundLoopTests
{
    [Fact]
    public async Task A_failed_round_is_reported_and_the_next_round_still_runs()
    {
        using var stop = new CancellationTokenSource();
        var rounds = 0;
        var failures = new List<Exception>();
        await RoundLoop.RunAsync(
            _ =>
            {
                rounds++;
                if (rounds == 1) throw new InvalidOperationException("first round fails");
                if (rounds == 3) stop.Cancel();
                return Task.CompletedTask;
            },
            _ => Task.CompletedTask,
            failures.Add,
            stop.Token).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, rounds);
        Assert.Equal("first round fails", Assert.Single(failures).Message);
    }

    [Fact]
    public async Task Stopping_during_a_round_or_a_wait_ends_the_loop_without_a_failure()
    {
        var failures = new List<Exception>();
        using (var duringRound = new CancellationTokenSource())
        {
            await RoundLoop.RunAsync(
                async ct =>
                {
                    await duringRound.CancelAsync();
                    ct.ThrowIfCancellationRequested();
                },
                _ => throw new InvalidOperationException("never waits after a stopped round"),
                failures.Add,
                duringRound.Token).WaitAsync(TimeSpan.FromSeconds(10));
        }

        var rounds = 0;
        using (var duringWait = new CancellationTokenSource())
        {
            await RoundLoop.RunAsync(
                _ =>
                {
                    rounds++;
                    return Task.CompletedTask;
                },
                ct =>
                {
                    duringWait.Cancel();
                    return Task.Delay(Timeout.Infinite, ct);
                },
                failures.Add,
                duringWait.Token).WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(1, rounds);
        Assert.Empty(failures);
    }
}
