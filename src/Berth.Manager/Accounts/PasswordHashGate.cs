using Berth.Core.Problems;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Accounts;

/// <summary>
/// Bounds how many password hashes run at once (PBKDF2 is deliberately slow). Without it a login flood
/// fills every core with hashing and every other user's requests wait; with it the flood queues here,
/// briefly, and beyond a short queue is refused at once with 503 <c>login-busy</c>.
/// </summary>
public sealed class PasswordHashGate(IOptions<LoginOptions> options)
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentHashes, options.Value.MaxConcurrentHashes);
    private int _waiting;

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        if (_slots.Wait(0)) return new Lease(_slots);
        if (Interlocked.Increment(ref _waiting) > options.Value.HashQueueLimit)
        {
            Interlocked.Decrement(ref _waiting);
            throw Busy();
        }
        try
        {
            if (!await _slots.WaitAsync(options.Value.HashQueueTimeout, ct)) throw Busy();
            return new Lease(_slots);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private static RetryLaterException Busy() => new(
        new Problem(503, "login-busy", "The server is handling many logins right now; try again in a moment."), TimeSpan.FromSeconds(1));

    private sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }
}
