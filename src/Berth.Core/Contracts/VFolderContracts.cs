using Berth.Core.Validation;

namespace Berth.Core.Contracts;

public sealed record StorageHostDto(string Name, bool IsDefault, long TotalBytes, long FreeBytes);

/// <param name="Project">Name of the owning project; null for a folder owned by the caller.</param>
public sealed record CreateVFolderRequest(
    string? Name, string? Host = null, string? UsageMode = null, string? Permission = null,
    string? Project = null, bool Cloneable = false, long? QuotaBytes = null);

/// <param name="Permission">What the caller may do with it: ro, rw or wd.</param>
/// <param name="Owner">Owner's email (user folder) or project name (project folder).</param>
public sealed record VFolderDto(
    Guid Id, string Name, string Host, string UsageMode, string Permission, string Ownership, string Owner,
    bool IsOwner, string Status, bool Cloneable, long? QuotaBytes, bool IsAutoMount, DateTimeOffset CreatedAt,
    long? SizeBytes = null, long? FileCount = null);

public sealed record RenameVFolderRequest(string? NewName);

public sealed record CloneVFolderRequest(string? TargetName, string? Host = null, string? UsageMode = null, string? Permission = null);

public sealed record ShareVFolderRequest(string? Email, string? Permission);

public sealed record FolderShareDto(string Email, string Permission);

public sealed record FileEntryDto(string Name, string Path, string Kind, long Size, DateTimeOffset Modified, int Mode, string? LinkTarget);

public sealed record MkdirRequest([property: MaxLength(4096)] string? Path, bool Parents = false);

public sealed record MoveRequest([property: MaxLength(4096)] string? Source, [property: MaxLength(4096)] string? Destination);

public sealed record DeleteFilesRequest([property: MaxLength(4096)] IReadOnlyList<string>? Paths, bool Recursive = false);

public sealed record UploadRequest([property: MaxLength(4096)] string? Path, long? Size);

public sealed record DownloadRequest([property: MaxLength(4096)] string? Path);

/// <param name="Url">Absolute path on the server, e.g. <c>/storage/v1/uploads</c>; the client resolves it against its endpoint.</param>
/// <param name="Token">Bearer token for the storage API, valid until <paramref name="ExpiresAt"/>.</param>
public sealed record TransferTicketDto(string Url, string Token, DateTimeOffset ExpiresAt);
