namespace Berth.Storage.Backend;

/// <param name="Bytes">Sum of regular file sizes (apparent size, as uploads count it).</param>
/// <param name="Files">Regular files, symlinks and other non-directories.</param>
/// <param name="Directories">Directories below the folder root.</param>
public sealed record FolderUsage(long Bytes, long Files, long Directories);
