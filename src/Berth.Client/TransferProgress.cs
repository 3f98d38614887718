namespace Berth.Client;

/// <param name="Name">The remote path being transferred.</param>
/// <param name="BytesTransferred">Bytes of the file that are done, including those done by an earlier, resumed run.</param>
/// <param name="TotalBytes">The file's size, when known (a directory download's tar stream has none).</param>
/// <param name="ResumedFrom">Where this run started: non-zero when an earlier upload or download was resumed.</param>
public readonly record struct TransferProgress(string Name, long BytesTransferred, long? TotalBytes, long ResumedFrom = 0);

/// <param name="LocalPath">Where the file was written.</param>
/// <param name="SuggestedFileName">The file name from the server's <c>Content-Disposition</c>, if any (e.g. <c>dir.tar</c>).</param>
/// <param name="IsArchive">True when the server sent a tar stream of a directory.</param>
public sealed record DownloadResult(string LocalPath, string? SuggestedFileName, long Bytes, bool IsArchive, long ResumedFrom);

/// <param name="DestPath">The file's path inside the folder.</param>
public sealed record UploadResult(string DestPath, long Bytes, long ResumedFrom);
