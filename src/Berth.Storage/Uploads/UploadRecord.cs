namespace Berth.Storage.Uploads;

/// <summary>
/// The sidecar <c>&lt;id&gt;.json</c> kept next to <c>&lt;id&gt;.part</c> in staging. The upload's
/// progress is not stored here: the .part file's length is the offset, so the two can never disagree.
/// </summary>
/// <param name="Path">Normalised destination path inside the folder.</param>
public sealed record UploadRecord(string Id, string Host, Guid FolderId, string Path, long? QuotaBytes, long Length, DateTimeOffset CreatedAt);

/// <param name="Offset">Bytes received so far.</param>
/// <param name="Completed">True once the file has been moved into the folder.</param>
public sealed record UploadStatus(UploadRecord Upload, long Offset, bool Completed);
