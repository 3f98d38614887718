namespace Berth.Storage.Native;

public enum NodeType { File, Directory, Symlink, Other }

/// <summary>What statx reported about one directory entry (never the target of a link).</summary>
/// <param name="Size">Apparent size (what <c>ls -l</c> shows).</param>
/// <param name="Blocks">512-byte blocks allocated (what <c>du</c> counts): 0 for a file that is all hole.</param>
/// <param name="Links">Hard link count.</param>
/// <param name="Inode">Inode number; with <see cref="Device"/> it names the file, whatever link it was reached by.</param>
public readonly record struct StatInfo(
    NodeType Type, long Size, int Mode, DateTimeOffset Modified, uint Uid, uint Gid,
    long Blocks = 0, uint Links = 1, ulong Inode = 0, ulong Device = 0)
{
    /// <summary>Bytes the file system gave this entry.</summary>
    public long AllocatedBytes => Blocks * 512;

    // statx's struct is the same on every Linux architecture, unlike struct stat, which is why
    // it is used instead of fstatat.
    internal static unsafe StatInfo FromStatx(byte* buf)
    {
        uint links = *(uint*)(buf + 16);
        uint uid = *(uint*)(buf + 20);
        uint gid = *(uint*)(buf + 24);
        ushort mode = *(ushort*)(buf + 28);
        ulong ino = *(ulong*)(buf + 32);
        long size = (long)*(ulong*)(buf + 40);
        long blocks = (long)*(ulong*)(buf + 48);
        long mtimeSec = *(long*)(buf + 112);
        uint mtimeNsec = *(uint*)(buf + 120);
        ulong dev = ((ulong)*(uint*)(buf + 136) << 32) | *(uint*)(buf + 140);
        var type = (mode & 0xF000) switch
        {
            0x8000 => NodeType.File,
            0x4000 => NodeType.Directory,
            0xA000 => NodeType.Symlink,
            _ => NodeType.Other,
        };
        var modified = DateTimeOffset.FromUnixTimeSeconds(mtimeSec).AddTicks(mtimeNsec / 100);
        return new StatInfo(type, size, mode & 0xFFF, modified, uid, gid, blocks, links, ino, dev);
    }
}
