using Berth.Core.Problems;

namespace Berth.Core.VFolders;

public enum VFolderAction { Use, Rename, Delete, Recover, Purge, Clone, Share }

/// <summary>Which lifecycle action a folder's status allows: ready → delete-pending (trash) → ready again or purged.</summary>
public static class VFolderLifecycle
{
    public static Problem? Check(VFolderStatus status, VFolderAction action, string name)
    {
        var allowed = action switch
        {
            VFolderAction.Recover or VFolderAction.Purge => status == VFolderStatus.DeletePending,
            // A folder whose clone failed can still be thrown away.
            VFolderAction.Delete => status is VFolderStatus.Ready or VFolderStatus.Error,
            _ => status == VFolderStatus.Ready,
        };
        if (allowed) return null;
        var why = action switch
        {
            VFolderAction.Recover => $"Only folders in the trash can be recovered; '{name}' is {status.ToWire()}.",
            VFolderAction.Purge => $"Only folders in the trash can be purged; delete '{name}' first (it is {status.ToWire()}).",
            _ => $"'{name}' is {status.ToWire()}; this needs a ready folder.",
        };
        return Problem.Conflict("folder-status", why, "status");
    }
}
