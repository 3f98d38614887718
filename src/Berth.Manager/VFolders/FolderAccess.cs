using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.VFolders;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.VFolders;

/// <summary>A folder as one caller sees it: what they may do, and whether they hold the owner's powers.</summary>
public sealed record FolderAccess(VFolderEntity Folder, VFolderPermission Permission, bool IsOwner)
{
    public void Require(VFolderAction action)
    {
        var problem = VFolderLifecycle.Check(Folder.Status, action, Folder.Name);
        if (problem is not null) throw problem.ToException();
    }

    public void RequireOwner(string what)
    {
        if (!IsOwner)
            throw Problem.Forbidden("owner-only", $"Only the owner of '{Folder.Name}' may {what}.").ToException();
    }

    public void RequireWrite()
    {
        if (!Permission.AllowsWrite())
            throw Problem.Forbidden("permission-denied", $"You have read-only ({Permission.ToWire()}) access to '{Folder.Name}'.").ToException();
    }

    public void RequireDelete()
    {
        if (!Permission.AllowsDelete())
            throw Problem.Forbidden("permission-denied", $"Deleting files in '{Folder.Name}' needs wd permission; you have {Permission.ToWire()}.").ToException();
    }

    public VFolderDto ToDto(long? size = null, long? files = null) => new(
        Folder.Id, Folder.Name, Folder.Host, Folder.UsageMode.ToWire(), Permission.ToWire(), Folder.Ownership.ToWire(),
        Folder.OwnerProject?.Name ?? Folder.OwnerUser?.Email ?? "", IsOwner, Folder.Status.ToWire(), Folder.Cloneable,
        Folder.QuotaBytes, VFolderNameRules.IsAutoMount(Folder.Name),
        new DateTimeOffset(DateTime.SpecifyKind(Folder.CreatedAt, DateTimeKind.Utc)), size, files);
}

/// <summary>Which folders a caller can reach: their own, their projects', and those shared with them.</summary>
public sealed class FolderAccessQuery(BerthDbContext db)
{
    public async Task<List<FolderAccess>> AccessibleAsync(Caller caller, CancellationToken ct)
    {
        var uid = caller.UserId;
        var projectIds = db.ProjectMembers.Where(m => m.UserId == uid).Select(m => m.ProjectId);
        var isAdmin = caller.IsAdmin;
        var folders = await db.VFolders
            .Include(f => f.OwnerUser).Include(f => f.OwnerProject).Include(f => f.Shares)
            .Where(f => f.OwnerUserId == uid
                        || (f.OwnerProjectId != null && (isAdmin || projectIds.Contains(f.OwnerProjectId.Value)))
                        || f.Shares.Any(s => s.UserId == uid))
            .AsSplitQuery()
            .ToListAsync(ct);
        return folders.Select(f => Describe(f, caller)).OrderBy(a => a.Folder.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Finds a folder by name or id among those the caller can reach; others' folders are simply "not found".</summary>
    public async Task<FolderAccess> ResolveAsync(Caller caller, string reference, CancellationToken ct)
    {
        var all = await AccessibleAsync(caller, ct);
        var match = all.FirstOrDefault(a => a.Folder.Name == reference)
                    ?? (Guid.TryParse(reference, out var id) ? all.FirstOrDefault(a => a.Folder.Id == id) : null);
        return match ?? throw Problem.NotFound("folder-not-found",
            $"You have no folder named '{reference}' (it does not exist, or it is not yours and was not shared with you).", "folder").ToException();
    }

    private static FolderAccess Describe(VFolderEntity f, Caller caller)
    {
        if (f.OwnerUserId == caller.UserId) return new(f, VFolderPermission.ReadWriteDelete, true);
        if (f.OwnerProjectId is not null)
            return caller.IsAdmin ? new(f, VFolderPermission.ReadWriteDelete, true) : new(f, f.Permission, false);
        var share = f.Shares.First(s => s.UserId == caller.UserId);
        return new(f, share.Permission, false);
    }
}
