namespace Berth.Storage.Tokens;

/// <summary>
/// What the manager allows one client to do on the storage, signed into a token.
/// </summary>
/// <param name="Operation"><see cref="StorageOperations.Upload"/> or <see cref="StorageOperations.Download"/>.</param>
/// <param name="Path">For uploads the destination file; for downloads the file or directory.</param>
/// <param name="QuotaBytes">Folder quota to enforce on uploads; null for none.</param>
/// <param name="UserId">Whom the ticket was issued to; with <paramref name="AccessKey"/>, what
/// <see cref="IStorageGrantCheck"/> re-checks on every use, so that unsharing, logging out or revoking
/// ends the ticket too. Null only in grants made without a manager (standalone storage tests).</param>
/// <param name="AccessKey">The API keypair that asked for the ticket.</param>
public sealed record StorageGrant(string Operation, string Host, Guid FolderId, string Path, long? QuotaBytes, DateTimeOffset ExpiresAt,
    Guid? UserId = null, string? AccessKey = null);

public static class StorageOperations
{
    public const string Upload = "upload";
    public const string Download = "download";
}
