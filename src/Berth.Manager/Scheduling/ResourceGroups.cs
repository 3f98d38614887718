using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Scheduling;

/// <summary>Who may use which resource group: public groups, groups granted to the user, and groups granted to one of their projects.</summary>
public static class ResourceGroups
{
    /// <summary>Makes sure the default group exists (public, fifo, dispersed): a fresh install schedules without configuration.</summary>
    public static async Task EnsureDefaultAsync(BerthDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.ResourceGroups.AnyAsync(g => g.Name == ResourceGroupEntity.DefaultName, ct)) return;
        db.ResourceGroups.Add(new ResourceGroupEntity
        {
            Name = ResourceGroupEntity.DefaultName, Description = "Every agent not assigned elsewhere; open to all users.",
            IsPublic = true, CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
    }

    public static async Task<List<ResourceGroupEntity>> VisibleToAsync(BerthDbContext db, Guid userId, bool isAdmin, CancellationToken ct)
    {
        if (isAdmin) return await db.ResourceGroups.OrderBy(g => g.Name).ToListAsync(ct);
        var projectIds = db.ProjectMembers.Where(m => m.UserId == userId).Select(m => m.ProjectId);
        var granted = db.ResourceGroupGrants
            .Where(x => x.UserId == userId || (x.ProjectId != null && projectIds.Contains(x.ProjectId.Value)))
            .Select(x => x.ResourceGroup);
        return await db.ResourceGroups.Where(g => g.IsPublic || granted.Contains(g.Name)).OrderBy(g => g.Name).ToListAsync(ct);
    }
}
