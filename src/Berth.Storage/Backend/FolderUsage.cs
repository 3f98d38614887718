namespace Berth.Storage.Backend;

/// <param name="Bytes">Bytes allocated on disk (st_blocks × 512, each inode once, directories and links included: what <c>du</c> reports
/// for the folder's contents). This is what quotas count: holes cost nothing, and every block a session wrote costs its size.</param>
/// <param name="Files">Regular files, symlinks and other non-directories (each name, so every hard link counts).</param>
/// <param name="Directories">Directories below the folder root.</param>
/// <param name="ApparentBytes">Sum of regular file lengths (as <c>ls -l</c> shows them; a sparse file counts its full length).</param>
public sealed record FolderUsage(long Bytes, long Files, long Directories, long ApparentBytes);
