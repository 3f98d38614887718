namespace Berth.Storage.Uploads;

/// <summary>
/// The sidecar <c>&lt;id&gt;.json</c> kept next to <c>&lt;id&gt;.part</c> in staging. The upload's
/// progress is not stored here: the .part file's length is the offset, so the two can never disagree.
/// Once the upload completes (or is terminated) the .part is gone and the sidecar stays for
/// <see cref="Options.StorageOptions.FinishedUploadRetention"/>, so a client whose last answer was lost
/// can still ask HEAD and hear that it is done.
/// </summary>
/// <param name="Path">Normalised destination path inside the folder.</param>
/// <param name="CompletedAt">When the last byte arrived and the file was moved into the folder.</param>
/// <param name="TerminatedAt">When a DELETE ended it (tus termination).</param>
/// <param name="UserId">Whom the ticket that created it was issued to; with <paramref name="IdempotencyKey"/>, what a
/// retried create is matched on.</param>
/// <param name="IdempotencyKey">The <c>Idempotency-Key</c> of the create, when it had one.</param>
public sealed record UploadRecord(
    string Id, string Host, Guid FolderId, string Path, long? QuotaBytes, long Length, DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt = null, DateTimeOffset? TerminatedAt = null, Guid? UserId = null, string? IdempotencyKey = null)
{
    public bool IsFinished => CompletedAt is not null || TerminatedAt is not null;

    public DateTimeOffset? FinishedAt => CompletedAt ?? TerminatedAt;
}

/// <param name="Offset">Bytes received so far.</param>
/// <param name="Completed">True once the file has been moved into the folder.</param>
/// <param name="Replayed">True when a create with a known <c>Idempotency-Key</c> answered this existing upload.</param>
public sealed record UploadStatus(UploadRecord Upload, long Offset, bool Completed, bool Replayed = false);
