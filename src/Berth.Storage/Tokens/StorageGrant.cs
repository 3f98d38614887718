namespace Berth.Storage.Tokens;

/// <summary>
/// What the manager allows one client to do on the storage, signed into a token.
/// </summary>
/// <param name="Operation"><see cref="StorageOperations.Upload"/> or <see cref="StorageOperations.Download"/>.</param>
/// <param name="Path">For uploads the destination file; for downloads the file or directory.</param>
/// <param name="QuotaBytes">Folder quota to enforce on uploads; null for none.</param>
public sealed record StorageGrant(string Operation, string Host, Guid FolderId, string Path, long? QuotaBytes, DateTimeOffset ExpiresAt);

public static class StorageOperations
{
    public const string Upload = "upload";
    public const string Download = "download";
}
