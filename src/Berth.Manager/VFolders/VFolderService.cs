using Berth.Core.Accounts;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Units;
using Berth.Core.VFolders;
using Berth.Manager.Accounts;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Berth.Manager.Sessions;
using Berth.Storage.Backend;
using Berth.Storage.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Berth.Manager.VFolders;

/// <summary>Folder metadata and lifecycle. Data lives on the storage hosts, reached only through <see cref="IStorageBackend"/>.</summary>
public sealed class VFolderService(
    BerthDbContext db, FolderAccessQuery access, IStorageBackend storage, IOptions<ManagerOptions> options,
    CloneSignal cloneSignal, TimeProvider clock, Idempotency.IdempotencyScope idempotency)
{
    public IReadOnlyList<StorageHostDto> ListHosts()
    {
        var defaultHost = DefaultHost();
        return storage.ListHosts().Select(h => new StorageHostDto(h.Name, h.Name == defaultHost, h.TotalBytes, h.FreeBytes)).ToList();
    }

    public async Task<IReadOnlyList<VFolderDto>> ListAsync(Caller caller, CancellationToken ct) =>
        (await access.AccessibleAsync(caller, ct)).Select(a => a.ToDto()).ToList();

    public async Task<VFolderDto> GetAsync(Caller caller, string folder, CancellationToken ct)
    {
        var a = await access.ResolveAsync(caller, folder, ct);
        if (a.Folder.Status is VFolderStatus.Cloning or VFolderStatus.Purging or VFolderStatus.Error) return a.ToDto();
        var usage = await storage.GetUsageAsync(a.Folder.Host, a.Folder.Id, ct);
        return a.ToDto(usage.Bytes, usage.Files);
    }

    public async Task<VFolderDto> CreateAsync(Caller caller, CreateVFolderRequest r, CancellationToken ct)
    {
        var host = r.Host ?? DefaultHost();
        var usageMode = VFolderUsageMode.General;
        var permission = VFolderPermission.ReadWrite;
        Throw(VFolderNameRules.Check(r.Name)
              ?? CheckHost(host)
              ?? (r.UsageMode is not null && !VFolderWire.TryParseUsageMode(r.UsageMode, out usageMode)
                  ? Problem.Invalid("usageMode", "usage-mode-invalid", $"'{r.UsageMode}' is not a usage mode; use general, model or data.") : null)
              ?? (r.Permission is not null && !VFolderWire.TryParsePermission(r.Permission, out permission)
                  ? Problem.Invalid("permission", "permission-invalid", $"'{r.Permission}' is not a permission; use ro, rw or wd.") : null)
              ?? (r.QuotaBytes is <= 0 ? Problem.Invalid("quotaBytes", "quota-invalid", "A quota must be a positive number of bytes.") : null)
              ?? VFolderNameRules.CheckOwnership(r.Name!, r.Project is null ? VFolderOwnership.User : VFolderOwnership.Project));

        ProjectEntity? project = null;
        if (r.Project is not null)
        {
            if (!caller.IsAdmin)
                throw Problem.Forbidden("project-folder-admin-only", "Only administrators can create project folders.", "project").ToException();
            project = await db.Projects.FirstOrDefaultAsync(p => p.Name == r.Project, ct)
                      ?? throw Problem.NotFound("project-not-found", $"There is no project named {r.Project}.", "project").ToException();
            if (await db.VFolders.AnyAsync(f => f.OwnerProjectId == project.Id && f.Name == r.Name, ct))
                throw NameTaken(r.Name!);
        }
        await EnsureNameFreeAsync(caller, r.Name!, ct);

        var now = clock.GetUtcNow().UtcDateTime;
        var folder = new VFolderEntity
        {
            Id = Guid.NewGuid(), Name = r.Name!, Host = host!, UsageMode = usageMode, Permission = permission,
            OwnerUserId = project is null ? caller.UserId : null, OwnerProjectId = project?.Id, CreatorUserId = caller.UserId,
            Status = VFolderStatus.Ready, Cloneable = r.Cloneable, QuotaBytes = r.QuotaBytes, CreatedAt = now, StatusChangedAt = now,
        };
        await storage.CreateFolderAsync(folder.Host, folder.Id, ct);
        db.VFolders.Add(folder);
        idempotency.Stage(db, folder.Id);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent create won the unique index: leave no orphaned directory behind.
            await storage.PurgeFolderAsync(folder.Host, folder.Id, CancellationToken.None);
            throw NameTaken(folder.Name);
        }
        return (await access.ResolveAsync(caller, folder.Id.ToString(), ct)).ToDto();
    }

    public async Task<VFolderDto> RenameAsync(Caller caller, string folder, RenameVFolderRequest r, CancellationToken ct)
    {
        var a = await access.ResolveAsync(caller, folder, ct);
        a.RequireOwner("rename it");
        a.Require(VFolderAction.Rename);
        Throw(VFolderNameRules.Check(r.NewName, "newName") ?? VFolderNameRules.CheckOwnership(r.NewName!, a.Folder.Ownership, "newName"));
        if (r.NewName == a.Folder.Name) return a.ToDto();
        if (VFolderNameRules.IsAutoMount(r.NewName!) && a.Folder.Shares.Count > 0)
            throw Problem.Conflict("automount-not-shareable", $"'{a.Folder.Name}' is shared; auto-mount (dot) folders cannot be, so unshare it before renaming it to '{r.NewName}'.", "newName").ToException();
        await EnsureNameFreeAsync(caller, r.NewName!, ct);
        a.Folder.Name = r.NewName!;
        await SaveOrNameTakenAsync(r.NewName!, ct);
        return a.ToDto();
    }

    public async Task<VFolderDto> DeleteAsync(Caller caller, string folder, CancellationToken ct)
    {
        var a = await access.ResolveAsync(caller, folder, ct);
        a.RequireOwner("delete it");
        a.Require(VFolderAction.Delete);
        var id = a.Folder.Id.ToString();
        // Name every live session mounting it, so the user can destroy them all in one pass instead of one refusal at a time.
        var users = await db.Sessions.Where(s => SessionService.LiveStatuses.Contains(s.Status) && s.MountsJson.Contains(id))
            .OrderBy(s => s.Name).Select(s => s.Name).ToListAsync(ct);
        if (users.Count > 0)
            throw Problem.Conflict("folder-in-use",
                $"'{a.Folder.Name}' is mounted in the live session{(users.Count > 1 ? "s" : "")} {string.Join(", ", users.Select(u => $"'{u}'"))}; destroy {(users.Count > 1 ? "them" : "that session")} first.",
                "folder").ToException();
        SetStatus(a.Folder, VFolderStatus.DeletePending);
        await db.SaveChangesAsync(ct);
        return a.ToDto();
    }

    public async Task<VFolderDto> RecoverAsync(Caller caller, string folder, CancellationToken ct)
    {
        var a = await access.ResolveAsync(caller, folder, ct);
        a.RequireOwner("recover it");
        a.Require(VFolderAction.Recover);
        SetStatus(a.Folder, VFolderStatus.Ready);
        await db.SaveChangesAsync(ct);
        return a.ToDto();
    }

    public async Task PurgeAsync(Caller caller, string folder, CancellationToken ct)
    {
        var a = await access.ResolveAsync(caller, folder, ct);
        a.RequireOwner("purge it");
        a.Require(VFolderAction.Purge);
        // Mark first: if the process dies mid-delete the row still says what was going on, and purge can be retried.
        SetStatus(a.Folder, VFolderStatus.Purging);
        await db.SaveChangesAsync(ct);
        await storage.PurgeFolderAsync(a.Folder.Host, a.Folder.Id, ct);
        db.VFolders.Remove(a.Folder);
        await db.SaveChangesAsync(ct);
    }

    public async Task<VFolderDto> CloneAsync(Caller caller, string folder, CloneVFolderRequest r, CancellationToken ct)
    {
        var source = await access.ResolveAsync(caller, folder, ct);
        source.Require(VFolderAction.Clone);
        if (!source.Folder.Cloneable)
            throw Problem.Conflict("not-cloneable", $"'{source.Folder.Name}' is not cloneable; its owner can make it so.", "folder").ToException();
        var host = r.Host ?? source.Folder.Host;
        var usageMode = source.Folder.UsageMode;
        var permission = source.Folder.Permission;
        Throw(VFolderNameRules.Check(r.TargetName, "targetName")
              ?? CheckHost(host)
              ?? (r.UsageMode is not null && !VFolderWire.TryParseUsageMode(r.UsageMode, out usageMode)
                  ? Problem.Invalid("usageMode", "usage-mode-invalid", $"'{r.UsageMode}' is not a usage mode; use general, model or data.") : null)
              ?? (r.Permission is not null && !VFolderWire.TryParsePermission(r.Permission, out permission)
                  ? Problem.Invalid("permission", "permission-invalid", $"'{r.Permission}' is not a permission; use ro, rw or wd.") : null));
        await EnsureNameFreeAsync(caller, r.TargetName!, ct);
        await EnsureCloneFitsAsync(source.Folder, host!, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var clone = new VFolderEntity
        {
            Id = Guid.NewGuid(), Name = r.TargetName!, Host = host!, UsageMode = usageMode, Permission = permission,
            OwnerUserId = caller.UserId, CreatorUserId = caller.UserId, Status = VFolderStatus.Cloning,
            Cloneable = false, QuotaBytes = source.Folder.QuotaBytes, CloneSourceId = source.Folder.Id, CreatedAt = now, StatusChangedAt = now,
        };
        db.VFolders.Add(clone);
        await SaveOrNameTakenAsync(clone.Name, ct);
        cloneSignal.Wake();
        return (await access.ResolveAsync(caller, clone.Id.ToString(), ct)).ToDto();
    }

    /// <summary>
    /// Refuses a clone up front, before a record or a byte exists, when the source's data does not fit the
    /// clone's quota (which it inherits) or the destination host's free space. The size is the source's
    /// allocated bytes: the copy keeps holes and hard links, so that is what it will really take, and a
    /// `truncate -s 10T` file costs nothing while a folder a session filled past its quota is refused.
    /// </summary>
    private async Task EnsureCloneFitsAsync(VFolderEntity source, string host, CancellationToken ct)
    {
        var needed = (await storage.GetUsageAsync(source.Host, source.Id, ct)).Bytes;
        if (source.QuotaBytes is { } quota && needed > quota)
            throw Problem.TooLarge("quota-exceeded",
                $"'{source.Name}' holds {ByteSize.Format(needed)} on disk, more than the {ByteSize.Format(quota)} quota its clone would have.", "folder").ToException();
        var free = storage.ListHosts().FirstOrDefault(h => h.Name == host)?.FreeBytes;
        if (free is { } f && needed > f)
            throw new Problem(507, "insufficient-storage",
                $"Cloning '{source.Name}' needs {ByteSize.Format(needed)}; storage host '{host}' has {ByteSize.Format(f)} free.", "host").ToException();
    }

    public async Task<IReadOnlyList<FolderShareDto>> ListSharesAsync(Caller caller, string folder, CancellationToken ct)
    {
        var a = await access.ResolveAsync(caller, folder, ct);
        a.RequireOwner("see who it is shared with");
        var users = await db.VFolderShares.Where(s => s.VFolderId == a.Folder.Id).Include(s => s.User).ToListAsync(ct);
        return users.Select(s => new FolderShareDto(s.User!.Email, s.Permission.ToWire())).OrderBy(s => s.Email).ToList();
    }

    public async Task<FolderShareDto> ShareAsync(Caller caller, string folder, ShareVFolderRequest r, CancellationToken ct)
    {
        var a = await access.ResolveAsync(caller, folder, ct);
        a.RequireOwner("share it");
        a.Require(VFolderAction.Share);
        var permission = a.Folder.Permission;
        Throw(AccountRules.CheckEmail(r.Email)
              ?? (r.Permission is not null && !VFolderWire.TryParsePermission(r.Permission, out permission)
                  ? Problem.Invalid("permission", "permission-invalid", $"'{r.Permission}' is not a permission; use ro, rw or wd.") : null));
        if (VFolderNameRules.IsAutoMount(a.Folder.Name))
            throw Problem.Invalid("folder", "automount-not-shareable", $"'{a.Folder.Name}' is an auto-mount (dot) folder; those belong to one user and cannot be shared.").ToException();
        if (a.Folder.Ownership == VFolderOwnership.Project)
            throw Problem.Invalid("folder", "project-folder-not-shareable", "Project folders are shared with the project's members; add the user to the project instead.").ToException();
        var email = AccountRules.NormalizeEmail(r.Email!);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, ct)
                   ?? throw Problem.NotFound("user-not-found", $"There is no user with email {email}.", "email").ToException();
        if (user.Id == caller.UserId)
            throw Problem.Invalid("email", "share-with-self", "You already own this folder.").ToException();
        var existing = a.Folder.Shares.FirstOrDefault(s => s.UserId == user.Id);
        if (existing is null)
        {
            var recipient = new Caller(user.Id, user.Email, user.Role, "");
            if ((await access.AccessibleAsync(recipient, ct)).Any(f => f.Folder.Name == a.Folder.Name))
                throw Problem.Conflict("folder-exists", $"{email} already has a folder named '{a.Folder.Name}'.", "email").ToException();
            db.VFolderShares.Add(new VFolderShareEntity { VFolderId = a.Folder.Id, UserId = user.Id, Permission = permission });
        }
        else
        {
            existing.Permission = permission;
        }
        await db.SaveChangesAsync(ct);
        return new FolderShareDto(email, permission.ToWire());
    }

    public async Task UnshareAsync(Caller caller, string folder, string email, CancellationToken ct)
    {
        var a = await access.ResolveAsync(caller, folder, ct);
        a.RequireOwner("unshare it");
        var normalized = AccountRules.NormalizeEmail(email);
        var removed = await db.VFolderShares.Where(s => s.VFolderId == a.Folder.Id && s.User!.Email == normalized).ExecuteDeleteAsync(ct);
        if (removed == 0)
            throw Problem.NotFound("share-not-found", $"'{a.Folder.Name}' is not shared with {normalized}.", "email").ToException();
    }

    private async Task EnsureNameFreeAsync(Caller caller, string name, CancellationToken ct)
    {
        if ((await access.AccessibleAsync(caller, ct)).Any(a => a.Folder.Name == name)) throw NameTaken(name);
    }

    private async Task SaveOrNameTakenAsync(string name, CancellationToken ct)
    {
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { throw NameTaken(name); }
    }

    private static BerthProblemException NameTaken(string name) =>
        Problem.Conflict("folder-exists", $"You can already access a folder named '{name}'; folder names must be unique among your folders.", "name").ToException();

    private void SetStatus(VFolderEntity folder, VFolderStatus status)
    {
        folder.Status = status;
        folder.StatusChangedAt = clock.GetUtcNow().UtcDateTime;
    }

    private string? DefaultHost() => options.Value.DefaultStorageHost ?? storage.ListHosts().FirstOrDefault()?.Name;

    private Problem? CheckHost(string? host) =>
        host is not null && storage.ListHosts().Any(h => h.Name == host)
            ? null
            : Problem.Invalid("host", "host-unknown", $"'{host}' is not a storage host; `berth vfolder list-hosts` shows them.");

    private static void Throw(Problem? problem)
    {
        if (problem is not null) throw problem.ToException();
    }
}
