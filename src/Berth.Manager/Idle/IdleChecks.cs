using Berth.Core.Idle;
using Berth.Core.Sessions;
using Berth.Manager.Apps;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Idle;

/// <summary>
/// Reads what the idle checks need for sessions — settings from the database (each time: changes apply at the next
/// check), traffic from this manager's meter and the stored last activity, samples from memory — and evaluates them.
/// </summary>
public sealed class IdleChecks(BerthDbContext db, SessionTrafficMeter meter, SessionUtilization utilization, TimeProvider clock, IOptions<IdleCheckOptions> options)
{
    /// <summary>The settings in force, per session, for the given sessions.</summary>
    public async Task<Func<SessionEntity, IdleCheckConfig>> ConfigsAsync(IReadOnlyCollection<SessionEntity> sessions, CancellationToken ct)
    {
        var groupNames = sessions.Select(s => s.ResourceGroup).Distinct().ToList();
        var groups = await db.ResourceGroups.AsNoTracking().Where(g => groupNames.Contains(g.Name))
            .ToDictionaryAsync(g => g.Name, g => IdleSettings.Read(g.IdleChecksJson), ct);
        var owners = sessions.Select(s => s.OwnerUserId).Distinct().ToList();
        var policyOf = await db.Users.AsNoTracking().Where(u => owners.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.ResourcePolicy ?? ResourcePolicyEntity.DefaultName, ct);
        var policyNames = policyOf.Values.Distinct().ToList();
        var policies = await db.ResourcePolicies.AsNoTracking().Where(p => policyNames.Contains(p.Name)).ToDictionaryAsync(p => p.Name, ct);
        return s =>
        {
            var policy = policies.GetValueOrDefault(policyOf.GetValueOrDefault(s.OwnerUserId, ResourcePolicyEntity.DefaultName));
            return IdleConfigRules.Merge(groups.GetValueOrDefault(s.ResourceGroup), IdleSettings.Read(policy?.IdleChecksJson), policy?.MaxSessionLifetimeSeconds);
        };
    }

    public async Task<IdleCheckConfig> ConfigOfAsync(SessionEntity session, CancellationToken ct) => (await ConfigsAsync([session], ct))(session);

    /// <summary>The last user↔session traffic: this manager's meter or what any manager stored, whichever is later.</summary>
    public DateTimeOffset? LastActivity(SessionEntity s)
    {
        var metered = meter.Get(s.Id)?.LastActivity;
        var stored = s.LastActivityAt is { } at ? Utc(at) : (DateTimeOffset?)null;
        return metered > stored || stored is null ? metered : stored;
    }

    public IdleEvaluation Evaluate(SessionEntity s, IdleCheckConfig config)
    {
        var facts = new IdleSessionFacts(s.Type, Utc(s.StartedAt ?? s.CreatedAt), s.CudaDevices > 0, s.IdleExempt,
            s.IdleExtendedUntil is { } until ? Utc(until) : null, LastActivity(s));
        var keep = (config.Utilization?.Window ?? TimeSpan.Zero) + TimeSpan.FromMinutes(1);
        var now = clock.GetUtcNow();
        return utilization.Read(s.Id, keep, window => IdleEvaluator.Evaluate(facts, config, window, now, options.Value.EffectiveWarnWithin));
    }

    public async Task<IdleEvaluation?> EvaluateAsync(SessionEntity s, CancellationToken ct) =>
        s.Status == SessionStatus.Running ? Evaluate(s, await ConfigOfAsync(s, ct)) : null;

    public static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
