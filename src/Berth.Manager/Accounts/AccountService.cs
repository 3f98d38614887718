using System.Security.Cryptography;
using Berth.Core.Accounts;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Accounts;

/// <summary>Users and projects (logins: <see cref="LoginService"/>; keypairs: <see cref="KeyPairService"/>). Passwords go through ASP.NET Core Identity's PBKDF2 hasher, never our own crypto.</summary>
public sealed class AccountService(BerthDbContext db, IPasswordHasher<UserEntity> hasher, TimeProvider clock)
{
    public async Task<UserDto> GetUserAsync(Guid id, CancellationToken ct)
    {
        var user = await UsersWithProjects().FirstOrDefaultAsync(u => u.Id == id, ct)
            ?? throw Problem.NotFound("user-not-found", "That user does not exist.").ToException();
        return ToDto(user);
    }

    public async Task<UserDto> CreateUserAsync(Caller caller, CreateUserRequest request, CancellationToken ct)
    {
        caller.RequireAdmin();
        var role = UserRole.User;
        Throw(AccountRules.CheckEmail(request.Email) ?? AccountRules.CheckPassword(request.Password, request.Email)
              ?? (request.Role is not null && !UserRoles.TryParse(request.Role, out role)
                  ? Problem.Invalid("role", "role-invalid", $"'{request.Role}' is not a role; use user, admin or superadmin.")
                  : null));
        if (!caller.Role.CanGrant(role))
            throw Problem.Forbidden("role-not-grantable", $"A {caller.Role.ToWire()} cannot create a {role.ToWire()}.", "role").ToException();
        var user = await CreateUserCoreAsync(AccountRules.NormalizeEmail(request.Email!), request.Password!, role, ct);
        return ToDto(user);
    }

    /// <summary>Creates the user and enrols it in the default project, as every user belongs to one.</summary>
    internal async Task<UserEntity> CreateUserCoreAsync(string email, string password, UserRole role, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(u => u.Email == email, ct))
            throw Problem.Conflict("user-exists", $"A user with email {email} already exists.", "email").ToException();
        var project = await EnsureDefaultProjectAsync(ct);
        var user = new UserEntity { Id = Guid.NewGuid(), Email = email, PasswordHash = "", Role = role, CreatedAt = Now };
        user.PasswordHash = hasher.HashPassword(user, password);
        user.Memberships.Add(new ProjectMemberEntity { ProjectId = project.Id, Project = project, UserId = user.Id });
        db.Users.Add(user);
        await SaveUniqueAsync("user-exists", $"A user with email {email} already exists.", "email", ct);
        return user;
    }

    public async Task<IReadOnlyList<UserDto>> ListUsersAsync(Caller caller, CancellationToken ct)
    {
        caller.RequireAdmin();
        var users = await UsersWithProjects().OrderBy(u => u.Email).ToListAsync(ct);
        return users.Select(ToDto).ToList();
    }

    public async Task<ProjectDto> CreateProjectAsync(Caller caller, CreateProjectRequest request, CancellationToken ct)
    {
        caller.RequireAdmin();
        Throw(AccountRules.CheckProjectName(request.Name)
              ?? (request.Description is { Length: > 1000 } ? Problem.Invalid("description", "too-long", "Descriptions may have at most 1000 characters.") : null));
        if (await db.Projects.AnyAsync(p => p.Name == request.Name, ct))
            throw Problem.Conflict("project-exists", $"A project named {request.Name} already exists.", "name").ToException();
        var project = new ProjectEntity { Id = Guid.NewGuid(), Name = request.Name!, Description = request.Description, CreatedAt = Now };
        db.Projects.Add(project);
        await SaveUniqueAsync("project-exists", $"A project named {request.Name} already exists.", "name", ct);
        return ToDto(project);
    }

    public async Task<IReadOnlyList<ProjectDto>> ListProjectsAsync(Caller caller, CancellationToken ct)
    {
        caller.RequireAdmin();
        var projects = await ProjectsWithMembers().OrderBy(p => p.Name).ToListAsync(ct);
        return projects.Select(ToDto).ToList();
    }

    public async Task<ProjectDto> AddMemberAsync(Caller caller, string projectName, AddProjectMemberRequest request, CancellationToken ct)
    {
        caller.RequireAdmin();
        Throw(AccountRules.CheckEmail(request.Email));
        var project = await ProjectsWithMembers().FirstOrDefaultAsync(p => p.Name == projectName, ct)
            ?? throw Problem.NotFound("project-not-found", $"There is no project named {projectName}.", "project").ToException();
        var email = AccountRules.NormalizeEmail(request.Email!);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, ct)
            ?? throw Problem.NotFound("user-not-found", $"There is no user with email {email}.", "email").ToException();
        if (project.Members.Any(m => m.UserId == user.Id))
            throw Problem.Conflict("already-member", $"{email} is already a member of {projectName}.", "email").ToException();
        project.Members.Add(new ProjectMemberEntity { ProjectId = project.Id, UserId = user.Id, User = user });
        await db.SaveChangesAsync(ct);
        return ToDto(project);
    }

    internal async Task<ProjectEntity> EnsureDefaultProjectAsync(CancellationToken ct)
    {
        var project = db.Projects.Local.FirstOrDefault(p => p.Name == AccountRules.DefaultProjectName)
            ?? await db.Projects.FirstOrDefaultAsync(p => p.Name == AccountRules.DefaultProjectName, ct);
        if (project is not null) return project;
        project = new ProjectEntity { Id = Guid.NewGuid(), Name = AccountRules.DefaultProjectName, Description = "Every user belongs here.", CreatedAt = Now };
        db.Projects.Add(project);
        return project;
    }

    private IQueryable<UserEntity> UsersWithProjects() =>
        db.Users.AsNoTracking().Include(u => u.Memberships).ThenInclude(m => m.Project);

    private IQueryable<ProjectEntity> ProjectsWithMembers() =>
        db.Projects.Include(p => p.Members).ThenInclude(m => m.User);

    private async Task SaveUniqueAsync(string rule, string detail, string field, CancellationToken ct)
    {
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { throw Problem.Conflict(rule, detail, field).ToException(); }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static void Throw(Problem? problem)
    {
        if (problem is not null) throw problem.ToException();
    }

    internal static string RandomToken(int bytes) =>
        Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes)).ToLowerInvariant();

    public static UserDto ToDto(UserEntity u) => new(u.Id, u.Email, u.Role.ToWire(), u.IsActive,
        u.Memberships.Where(m => m.Project is not null).Select(m => m.Project!.Name).Order().ToList(),
        new DateTimeOffset(DateTime.SpecifyKind(u.CreatedAt, DateTimeKind.Utc)));

    public static ProjectDto ToDto(ProjectEntity p) => new(p.Id, p.Name, p.Description,
        p.Members.Where(m => m.User is not null).Select(m => m.User!.Email).Order().ToList(),
        new DateTimeOffset(DateTime.SpecifyKind(p.CreatedAt, DateTimeKind.Utc)));
}
