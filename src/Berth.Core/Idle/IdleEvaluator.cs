using Berth.Core.Contracts;
using Berth.Core.Sessions;

namespace Berth.Core.Idle;

/// <summary>What the idle checks need to know of one RUNNING session.</summary>
/// <param name="StartedAt">When it became RUNNING: every check counts from here.</param>
/// <param name="HasGpu">Whether GPUs were allocated (the cuda threshold applies only then).</param>
/// <param name="Exempt">An admin exempted it: no check ends it.</param>
/// <param name="ExtendedUntil">A keep-alive's network deadline.</param>
/// <param name="LastActivity">The last user↔session traffic (app proxy, terminal, exec) any manager saw.</param>
public sealed record IdleSessionFacts(
    SessionType Type, DateTimeOffset StartedAt, bool HasGpu = false, bool Exempt = false,
    DateTimeOffset? ExtendedUntil = null, DateTimeOffset? LastActivity = null);

/// <summary>The checks' view of a session, and the reason to end it now if one has run out.</summary>
/// <param name="TerminationReason">idle-session-lifetime, idle-timeout or idle-utilization; null: it lives on.</param>
/// <param name="Imminent">The checker that will end the session soonest, and in how long, when that is within the warning time.</param>
public sealed record IdleEvaluation(IReadOnlyList<IdleCheckDto> Checks, string? TerminationReason, (string Checker, TimeSpan In)? Imminent);

/// <summary>
/// Backend.AI's three idle checkers as one pure function of the session, the settings, the samples and the time.
/// </summary>
public static class IdleEvaluator
{
    public static IdleEvaluation Evaluate(
        IdleSessionFacts facts, IdleCheckConfig config, UtilizationWindow? samples, DateTimeOffset now, TimeSpan warnWithin)
    {
        var checks = new List<IdleCheckDto> { Lifetime(facts, config, now), Network(facts, config, now), Utilization(facts, config, samples, now) };
        if (facts.Exempt) return new IdleEvaluation(checks.Select(c => c with { Exempt = true }).ToList(), null, null);

        string? reason = null;
        (string, TimeSpan)? imminent = null;
        foreach (var c in checks.Where(c => c.Enabled && c.RemainingSeconds is not null))
        {
            // Utilization can end a session only once its window is full and the averages say idle.
            var condemns = c.Checker != IdleCheckers.Utilization || c.Idle == true;
            if (!condemns) continue;
            var remaining = TimeSpan.FromSeconds(c.RemainingSeconds!.Value);
            if (remaining <= TimeSpan.Zero) reason ??= IdleCheckers.ReasonOf(c.Checker);
            else if (remaining <= warnWithin && (imminent is null || remaining < imminent.Value.Item2)) imminent = (c.Checker, remaining);
        }
        return new IdleEvaluation(checks, reason, reason is null ? imminent : null);
    }

    /// <summary>
    /// Remaining time in tenths of a second, rounded up: a check is due only when its exact remaining time is zero or
    /// less, so a deadline 40 ms away must not read as 0.0 (that ended sessions a hair before their time).
    /// </summary>
    private static double Seconds(TimeSpan t) => Math.Ceiling(Math.Max(0, t.TotalSeconds) * 10) / 10;

    private static IdleCheckDto Lifetime(IdleSessionFacts facts, IdleCheckConfig config, DateTimeOffset now) =>
        config.Lifetime is { } lifetime
            ? new IdleCheckDto(IdleCheckers.Lifetime, true, Seconds(facts.StartedAt + lifetime - now))
            : new IdleCheckDto(IdleCheckers.Lifetime, false, null, Note: "the resource policy sets no maximum lifetime");

    private static IdleCheckDto Network(IdleSessionFacts facts, IdleCheckConfig config, DateTimeOffset now)
    {
        if (config.NetworkTimeout is not { } timeout)
            return new IdleCheckDto(IdleCheckers.Network, false, null, Note: "no network idle timeout is set");
        if (facts.Type == SessionType.Batch)
            return new IdleCheckDto(IdleCheckers.Network, false, null, Note: "batch sessions are exempt");
        var idleSince = facts.LastActivity is { } last && last > facts.StartedAt ? last : facts.StartedAt;
        var deadline = idleSince + timeout;
        var extended = facts.ExtendedUntil is { } until && until > deadline ? until : (DateTimeOffset?)null;
        return new IdleCheckDto(IdleCheckers.Network, true, Seconds((extended ?? deadline) - now), ExtendedUntil: extended);
    }

    private static IdleCheckDto Utilization(IdleSessionFacts facts, IdleCheckConfig config, UtilizationWindow? window, DateTimeOffset now)
    {
        if (config.Utilization is not { } u)
            return new IdleCheckDto(IdleCheckers.Utilization, false, null, Note: "no utilization thresholds are set");
        var thresholds = new Dictionary<string, double>();
        if (u.Cpu is { } cpu) thresholds["cpu"] = cpu;
        if (u.Mem is { } mem) thresholds["mem"] = mem;
        if (u.Cuda is { } cuda && facts.HasGpu) thresholds["cuda"] = cuda; // not allocated: ignored
        if (thresholds.Count == 0)
            return new IdleCheckDto(IdleCheckers.Utilization, false, null, Note: "the only threshold is for GPUs, and the session has none");

        var graceEnd = facts.StartedAt + u.Grace;
        var op = u.Operator.ToWire();
        if (now < graceEnd)
            return new IdleCheckDto(IdleCheckers.Utilization, true, Seconds(graceEnd + u.Window - now), Seconds(graceEnd - now), thresholds, Operator: op);

        // Only samples after the grace period count: low use during it neither ends nor prolongs anything.
        var from = graceEnd > now - u.Window ? graceEnd : now - u.Window;
        var samples = window?.Since(from) ?? [];
        var coverageStart = window?.FirstSampleAt is { } first && first > graceEnd ? first : graceEnd;
        var remaining = Seconds(coverageStart + u.Window - now);
        var averages = new Dictionary<string, double>();
        if (samples.Count > 0)
        {
            averages["cpu"] = Math.Round(samples.Average(s => s.Cpu), 2);
            averages["mem"] = Math.Round(samples.Average(s => s.Mem), 2);
            var cudaSamples = samples.Where(s => s.Cuda is not null).ToList();
            if (cudaSamples.Count > 0) averages["cuda"] = Math.Round(cudaSamples.Average(s => s.Cuda!.Value), 2);
        }
        // A resource without measurements (e.g. GPUs where nvidia-smi is missing) cannot vote.
        var below = thresholds.Where(t => averages.ContainsKey(t.Key)).Select(t => averages[t.Key] < t.Value).ToList();
        bool? idle = below.Count == 0 ? null : u.Operator == ThresholdOperator.And ? below.All(b => b) : below.Any(b => b);
        var shown = averages.Where(a => thresholds.ContainsKey(a.Key) || a.Key != "cuda").ToDictionary();
        return new IdleCheckDto(IdleCheckers.Utilization, true, remaining, 0, thresholds, shown, op, idle);
    }
}
