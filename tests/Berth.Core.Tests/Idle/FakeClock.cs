namespace Berth.Core.Tests.Idle;

/// <summary>A clock the test moves by hand (Microsoft.Extensions.TimeProvider.Testing is not in the offline mirror).</summary>
public sealed class FakeClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Advance(double seconds) => Advance(TimeSpan.FromSeconds(seconds));
}
