namespace Berth.Core.VFolders;

public enum VFolderStatus { Ready, Cloning, DeletePending, Purging, Error }

public enum VFolderPermission { ReadOnly, ReadWrite, ReadWriteDelete }

public enum VFolderUsageMode { General, Model, Data }

public enum VFolderOwnership { User, Project }

/// <summary>Wire names match Backend.AI's so its users recognise them.</summary>
public static class VFolderWire
{
    public static string ToWire(this VFolderStatus s) => s switch
    {
        VFolderStatus.Ready => "ready",
        VFolderStatus.Cloning => "cloning",
        VFolderStatus.DeletePending => "delete-pending",
        VFolderStatus.Purging => "purging",
        _ => "error",
    };

    public static string ToWire(this VFolderPermission p) => p switch
    {
        VFolderPermission.ReadOnly => "ro",
        VFolderPermission.ReadWrite => "rw",
        _ => "wd",
    };

    public static string ToWire(this VFolderUsageMode m) => m switch
    {
        VFolderUsageMode.Model => "model",
        VFolderUsageMode.Data => "data",
        _ => "general",
    };

    public static string ToWire(this VFolderOwnership o) => o == VFolderOwnership.Project ? "project" : "user";

    public static bool TryParsePermission(string? text, out VFolderPermission p)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "ro": p = VFolderPermission.ReadOnly; return true;
            case "rw": p = VFolderPermission.ReadWrite; return true;
            case "wd": p = VFolderPermission.ReadWriteDelete; return true;
            default: p = default; return false;
        }
    }

    public static bool TryParseUsageMode(string? text, out VFolderUsageMode m)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "general": m = VFolderUsageMode.General; return true;
            case "model": m = VFolderUsageMode.Model; return true;
            case "data": m = VFolderUsageMode.Data; return true;
            default: m = default; return false;
        }
    }

    /// <summary>The weaker of two permissions: a grant can narrow what a folder allows, never widen it.</summary>
    public static VFolderPermission Narrowest(VFolderPermission a, VFolderPermission b) => (VFolderPermission)Math.Min((int)a, (int)b);

    public static bool AllowsWrite(this VFolderPermission p) => p >= VFolderPermission.ReadWrite;
    public static bool AllowsDelete(this VFolderPermission p) => p == VFolderPermission.ReadWriteDelete;
}
