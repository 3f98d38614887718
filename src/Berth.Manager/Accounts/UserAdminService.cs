using Berth.Core.Accounts;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Manager.Audit;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Accounts;

/// <summary>
/// Deactivating, reactivating and deleting accounts. An admin acts only on users of lower rank
/// (<see cref="UserRoles.Outranks"/>); either change revokes the user's keypairs at once.
/// </summary>
public sealed class UserAdminService(BerthDbContext db, AuditLog audit)
{
    public async Task<UserChangeResponse> SetActiveAsync(Caller caller, string email, bool active, string address, CancellationToken ct)
    {
        var action = active ? "user.activated" : "user.deactivated";
        var user = await TargetAsync(caller, email, action, address, ct);
        user.IsActive = active;
        await db.SaveChangesAsync(ct);
        var revoked = active ? 0 : await db.KeyPairs.Where(k => k.UserId == user.Id).ExecuteDeleteAsync(ct);
        await audit.RecordAsync(new AuditEntry(action, AuditLog.Success, caller.UserId, caller.Email, user.Email, address,
            active ? null : $"revoked {revoked} keypair(s)"), ct);
        return new UserChangeResponse(user.Email, active ? "activated" : "deactivated", revoked);
    }

    /// <summary>
    /// Deletes an account that owns nothing; one that owns folders or sessions (even ended ones, whose
    /// records others may still need) is deactivated instead, which keeps everything and lets nothing in.
    /// </summary>
    public async Task<UserChangeResponse> DeleteAsync(Caller caller, string email, string address, CancellationToken ct)
    {
        var user = await TargetAsync(caller, email, "user.deleted", address, ct);
        if (await db.VFolders.AnyAsync(f => f.OwnerUserId == user.Id || f.CreatorUserId == user.Id, ct)
            || await db.Sessions.AnyAsync(s => s.OwnerUserId == user.Id, ct))
            throw Problem.Conflict("user-owns-resources",
                $"{user.Email} owns folders or sessions; deactivate the account instead (`berth admin user deactivate`), which keeps them and locks the user out.", "email").ToException();
        var revoked = await db.KeyPairs.Where(k => k.UserId == user.Id).ExecuteDeleteAsync(ct);
        await db.ResourceGroupGrants.Where(g => g.UserId == user.Id).ExecuteDeleteAsync(ct);
        db.Users.Remove(user);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry("user.deleted", AuditLog.Success, caller.UserId, caller.Email, user.Email, address,
            $"revoked {revoked} keypair(s)"), ct);
        return new UserChangeResponse(user.Email, "deleted", revoked);
    }

    private async Task<UserEntity> TargetAsync(Caller caller, string email, string action, string address, CancellationToken ct)
    {
        caller.RequireAdmin();
        var normalized = AccountRules.NormalizeEmail(email);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, ct)
                   ?? throw Problem.NotFound("user-not-found", $"There is no user with email {AuditLog.Escape(normalized)}.", "email").ToException();
        if (!caller.Role.Outranks(user.Role))
        {
            await audit.RecordAsync(new AuditEntry(action, AuditLog.Refused, caller.UserId, caller.Email, user.Email, address,
                $"a {caller.Role.ToWire()} may not act on a {user.Role.ToWire()}"), ct);
            throw Problem.Forbidden("target-rank-too-high",
                $"A {caller.Role.ToWire()} may act only on accounts of lower rank; {user.Email} is a {user.Role.ToWire()}.", "email").ToException();
        }
        return user;
    }
}
