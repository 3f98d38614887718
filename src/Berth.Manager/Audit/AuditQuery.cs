using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Audit;

/// <summary>Reading the audit log: admins only, newest first, filtered by time, action and user.</summary>
public sealed class AuditQuery(BerthDbContext db)
{
    public const int MaxLimit = 1000;

    public async Task<IReadOnlyList<AuditEventDto>> ListAsync(Caller caller, DateTimeOffset? since, string? action, string? user, int? limit, CancellationToken ct)
    {
        caller.RequireAdmin();
        var take = limit ?? 100;
        if (take is < 1 or > MaxLimit)
            throw Problem.Invalid("limit", "limit-invalid", $"The limit is 1 to {MaxLimit}.").ToException();
        var query = db.AuditEvents.AsNoTracking();
        if (since is { } s)
        {
            var from = s.UtcDateTime;
            query = query.Where(a => a.At >= from);
        }
        if (!string.IsNullOrWhiteSpace(action))
        {
            // "login" matches login.failed, login.locked, ...; "login.failed" only itself.
            var prefix = action.Trim() + ".";
            var exact = action.Trim();
            query = query.Where(a => a.Action == exact || a.Action.StartsWith(prefix));
        }
        if (!string.IsNullOrWhiteSpace(user))
        {
            var text = user.Trim();
            var email = Core.Accounts.AccountRules.NormalizeEmail(text);
            query = Guid.TryParse(text, out var id)
                ? query.Where(a => a.UserId == id)
                : query.Where(a => a.Email == email || a.Email == text);
        }
        var rows = await query.OrderByDescending(a => a.Id).Take(take).ToListAsync(ct);
        return rows.Select(a => new AuditEventDto(a.Id, new DateTimeOffset(DateTime.SpecifyKind(a.At, DateTimeKind.Utc)),
            a.UserId, a.Email, a.Action, a.Target, a.Outcome, a.ClientAddress, a.Detail)).ToList();
    }
}
