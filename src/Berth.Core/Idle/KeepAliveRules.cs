using Berth.Core.Problems;
using Berth.Core.Sessions;

namespace Berth.Core.Idle;

/// <summary>When a user may push an interactive session's network idle deadline ahead, and to when.</summary>
public static class KeepAliveRules
{
    public static Problem? Check(SessionType type, IdleCheckConfig config, double? seconds, DateTimeOffset now, out DateTimeOffset until)
    {
        until = now;
        if (type != SessionType.Interactive)
            return Problem.Invalid("session", "keep-alive-interactive-only", "Batch sessions have no network idle timeout to extend.");
        if (config.NetworkTimeout is not { } timeout)
            return Problem.Conflict("idle-timeout-off", "This session has no network idle timeout; there is nothing to extend.", "session");
        if (seconds is { } s && !(s > 0 && s <= Validation.DurationRules.MaxSeconds))
            return Problem.Invalid("seconds", "keep-alive-seconds-invalid", "Extend by a positive number of seconds.");
        var wanted = seconds is { } w ? TimeSpan.FromSeconds(w) : timeout;
        var max = config.MaxExtension ?? timeout;
        if (wanted > max)
            return Problem.Invalid("seconds", "keep-alive-too-long", $"Your policy lets you keep a session alive for at most {max.TotalSeconds:0} s ahead; ask for less.");
        until = now + wanted;
        return null;
    }
}
