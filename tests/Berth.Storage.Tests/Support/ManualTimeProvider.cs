namespace Berth.Storage.Tests.Support;

/// <summary>A clock tests move by hand, so expiry is tested without waiting.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}
