using Berth.Core.Accounts;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Manager.Audit;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Accounts;

/// <summary>
/// Deactivating, reactivating and deleting accounts. An admin acts only on users of lower rank
/// (<see cref="UserRoles.Outranks"/>); either change revokes the user's keypairs at once.
/// </summary>
public sealed class UserAdminService(BerthDbContext db, AuditLog audit, IPasswordHasher<UserEntity> hasher)
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

    /// <summary>
    /// Gives a user of lower rank another role, at most the caller's grantable ones (an admin makes users only, a
    /// superadmin anything). The user's keypairs are revoked so the new role takes effect at their next login.
    /// </summary>
    public async Task<UserDto> ChangeRoleAsync(Caller caller, string email, ChangeUserRoleRequest request, string address, CancellationToken ct)
    {
        caller.RequireAdmin();
        if (!UserRoles.TryParse(request.Role, out var role))
            throw Problem.Invalid("role", "role-invalid", $"'{AuditLog.Escape(request.Role ?? "")}' is not a role; use user, admin or superadmin.").ToException();
        var user = await TargetAsync(caller, email, "user.role-changed", address, ct);
        if (!caller.Role.CanGrant(role))
        {
            await audit.RecordAsync(new AuditEntry("user.role-changed", AuditLog.Refused, caller.UserId, caller.Email, user.Email, address,
                $"a {caller.Role.ToWire()} may not grant {role.ToWire()}"), ct);
            throw Problem.Forbidden("role-not-grantable", $"A {caller.Role.ToWire()} cannot make anyone a {role.ToWire()}.", "role").ToException();
        }
        var before = user.Role;
        user.Role = role;
        await db.SaveChangesAsync(ct);
        var revoked = before == role ? 0 : await db.KeyPairs.Where(k => k.UserId == user.Id).ExecuteDeleteAsync(ct);
        await audit.RecordAsync(new AuditEntry("user.role-changed", AuditLog.Success, caller.UserId, caller.Email, user.Email, address,
            $"{before.ToWire()} -> {role.ToWire()}; revoked {revoked} keypair(s)"), ct);
        var reloaded = await db.Users.AsNoTracking().Include(u => u.Memberships).ThenInclude(m => m.Project).FirstAsync(u => u.Id == user.Id, ct);
        return AccountService.ToDto(reloaded);
    }

    /// <summary>Sets a new password for a user of lower rank (same rules as any password) and revokes all their keypairs.</summary>
    public async Task<UserChangeResponse> ResetPasswordAsync(Caller caller, string email, ResetUserPasswordRequest request, string address, CancellationToken ct)
    {
        caller.RequireAdmin();
        var user = await TargetAsync(caller, email, "user.password-reset", address, ct);
        if (AccountRules.CheckPassword(request.Password, user.Email) is { } problem) throw problem.ToException();
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        await db.SaveChangesAsync(ct);
        var revoked = await db.KeyPairs.Where(k => k.UserId == user.Id).ExecuteDeleteAsync(ct);
        await audit.RecordAsync(new AuditEntry("user.password-reset", AuditLog.Success, caller.UserId, caller.Email, user.Email, address,
            $"revoked {revoked} keypair(s)"), ct);
        return new UserChangeResponse(user.Email, "password-reset", revoked);
    }

    /// <summary>Takes a user out of a project; the default project keeps everyone (every user belongs to it).</summary>
    public async Task<ProjectDto> RemoveMemberAsync(Caller caller, string projectName, string email, string address, CancellationToken ct)
    {
        caller.RequireAdmin();
        var project = await db.Projects.Include(p => p.Members).ThenInclude(m => m.User).FirstOrDefaultAsync(p => p.Name == projectName, ct)
            ?? throw Problem.NotFound("project-not-found", $"There is no project named {AuditLog.Escape(projectName)}.", "project").ToException();
        if (project.Name == AccountRules.DefaultProjectName)
            throw Problem.Conflict("default-project-membership", $"Every user belongs to {project.Name}; deactivate the user instead.", "project").ToException();
        var normalized = AccountRules.NormalizeEmail(email);
        var member = project.Members.FirstOrDefault(m => m.User?.Email == normalized)
            ?? throw Problem.NotFound("not-a-member", $"{AuditLog.Escape(normalized)} is not a member of {project.Name}.", "email").ToException();
        project.Members.Remove(member);
        db.Remove(member);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry("project.member-removed", AuditLog.Success, caller.UserId, caller.Email, normalized, address,
            $"project {project.Name}"), ct);
        return AccountService.ToDto(project);
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
