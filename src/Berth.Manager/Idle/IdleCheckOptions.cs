namespace Berth.Manager.Idle;

/// <summary>The <c>IdleChecks</c> configuration section: how often the idle checks run. What they check is set per resource group and policy.</summary>
public sealed class IdleCheckOptions
{
    public const string Section = "IdleChecks";

    /// <summary>How often every RUNNING session is checked; a session ends at most this long after its deadline.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An idle termination this close (or two intervals, whichever is longer) is announced on the event stream.</summary>
    public TimeSpan WarnWithin { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often at most a session's last traffic is written to the database for the other managers' loops.</summary>
    public TimeSpan ActivityPersistInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan EffectiveWarnWithin => WarnWithin > 2 * Interval ? WarnWithin : 2 * Interval;
}
