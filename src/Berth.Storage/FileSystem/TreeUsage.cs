namespace Berth.Storage.FileSystem;

/// <summary>What a tree holds, each inode counted once however many hard links reach it.</summary>
/// <param name="AllocatedBytes">Bytes the file system allocated (st_blocks × 512, as <c>du</c> counts) to every entry below the root: what the disk really lost, and what quotas count.</param>
/// <param name="ApparentBytes">Sum of regular file sizes (as <c>ls -l</c> shows): a sparse file counts its full length here.</param>
/// <param name="Files">Non-directory entries (names, so each hard link counts).</param>
/// <param name="Directories">Directories below the root.</param>
public readonly record struct TreeUsage(long AllocatedBytes, long ApparentBytes, long Files, long Directories);
