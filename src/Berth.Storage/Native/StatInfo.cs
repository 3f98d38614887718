namespace Berth.Storage.Native;

public enum NodeType { File, Directory, Symlink, Other }

/// <summary>What statx reported about one directory entry (never the target of a link).</summary>
public readonly record struct StatInfo(NodeType Type, long Size, int Mode, DateTimeOffset Modified, uint Uid, uint Gid)
{
    // statx's struct is the same on every Linux architecture, unlike struct stat, which is why
    // it is used instead of fstatat.
    internal static unsafe StatInfo FromStatx(byte* buf)
    {
        ushort mode = *(ushort*)(buf + 28);
        uint uid = *(uint*)(buf + 20);
        uint gid = *(uint*)(buf + 24);
        long size = (long)*(ulong*)(buf + 40);
        long mtimeSec = *(long*)(buf + 112);
        uint mtimeNsec = *(uint*)(buf + 120);
        var type = (mode & 0xF000) switch
        {
            0x8000 => NodeType.File,
            0x4000 => NodeType.Directory,
            0xA000 => NodeType.Symlink,
            _ => NodeType.Other,
        };
        var modified = DateTimeOffset.FromUnixTimeSeconds(mtimeSec).AddTicks(mtimeNsec / 100);
        return new StatInfo(type, size, mode & 0xFFF, modified, uid, gid);
    }
}
