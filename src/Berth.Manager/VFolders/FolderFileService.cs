using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Units;
using Berth.Core.VFolders;
using Berth.Manager.Accounts;
using Berth.Manager.Auth;
using Berth.Storage.Backend;
using Berth.Storage.Tokens;
using Microsoft.Extensions.Options;

namespace Berth.Manager.VFolders;

/// <summary>
/// File operations inside a folder. The manager checks who may do what; the storage component checks
/// paths (no escapes, no symlinks followed) and does the work. Bulk bytes never pass through here:
/// the manager hands out a signed ticket and the client streams to or from the storage API.
/// </summary>
public sealed class FolderFileService(FolderAccessQuery access, IStorageBackend storage, StorageTokenService tokens,
    IOptions<ManagerOptions> options, TimeProvider clock)
{
    public async Task<IReadOnlyList<FileEntryDto>> ListAsync(Caller caller, string folder, string? path, CancellationToken ct)
    {
        var a = await ReadyAsync(caller, folder, ct);
        var entries = await storage.ListAsync(a.Folder.Host, a.Folder.Id, path, ct);
        return entries.Select(ToDto).ToList();
    }

    public async Task MkdirAsync(Caller caller, string folder, MkdirRequest r, CancellationToken ct)
    {
        Throw(RequirePath(r.Path, "path"));
        var a = await ReadyAsync(caller, folder, ct);
        a.RequireWrite();
        await storage.MkdirAsync(a.Folder.Host, a.Folder.Id, r.Path!, r.Parents, ct);
    }

    public async Task MoveAsync(Caller caller, string folder, MoveRequest r, CancellationToken ct)
    {
        Throw(RequirePath(r.Source, "source") ?? RequirePath(r.Destination, "destination"));
        var a = await ReadyAsync(caller, folder, ct);
        a.RequireWrite();
        await storage.MoveAsync(a.Folder.Host, a.Folder.Id, r.Source!, r.Destination!, ct);
    }

    public async Task DeleteAsync(Caller caller, string folder, DeleteFilesRequest r, CancellationToken ct)
    {
        if (r.Paths is not { Count: > 0 })
            throw Problem.Invalid("paths", "required", "Name at least one path to delete.").ToException();
        for (var i = 0; i < r.Paths.Count; i++) Throw(RequirePath(r.Paths[i], $"paths[{i}]"));
        var a = await ReadyAsync(caller, folder, ct);
        a.RequireDelete();
        await storage.DeleteAsync(a.Folder.Host, a.Folder.Id, r.Paths, r.Recursive, ct);
    }

    public async Task<TransferTicketDto> UploadTicketAsync(Caller caller, string folder, UploadRequest r, CancellationToken ct)
    {
        Throw(RequirePath(r.Path, "path")
              ?? (r.Size is null or < 0 ? Problem.Invalid("size", "size-invalid", "Give the file's size in bytes (0 or more).") : null));
        var a = await ReadyAsync(caller, folder, ct);
        a.RequireWrite();
        if (a.Folder.QuotaBytes is { } quota)
        {
            // Checked here too (storage checks again on create) so the user hears it before sending a byte.
            var used = (await storage.GetUsageAsync(a.Folder.Host, a.Folder.Id, ct)).Bytes;
            // Compared as a difference: used + a size near long.MaxValue would overflow and pass.
            if (r.Size!.Value > quota - used)
                throw Problem.TooLarge("quota-exceeded",
                    $"Uploading {ByteSize.Format(r.Size.Value)} to '{a.Folder.Name}' would exceed its quota of {ByteSize.Format(quota)} ({ByteSize.Format(used)} used, {ByteSize.Format(Math.Max(0, quota - used))} free).",
                    "size").ToException();
        }
        return Ticket(caller, "upload", "/storage/v1/uploads", a, r.Path!);
    }

    public async Task<TransferTicketDto> DownloadTicketAsync(Caller caller, string folder, DownloadRequest r, CancellationToken ct)
    {
        Throw(RequirePath(r.Path, "path"));
        var a = await ReadyAsync(caller, folder, ct);
        await storage.StatAsync(a.Folder.Host, a.Folder.Id, r.Path, ct); // fail now, not mid-transfer, on a bad path
        return Ticket(caller, "download", "/storage/v1/download", a, r.Path!);
    }

    private TransferTicketDto Ticket(Caller caller, string operation, string url, FolderAccess a, string path)
    {
        var expires = clock.GetUtcNow() + options.Value.TransferTicketLifetime;
        var token = tokens.Issue(new StorageGrant(operation, a.Folder.Host, a.Folder.Id, path, a.Folder.QuotaBytes, expires, caller.UserId, caller.AccessKey));
        return new TransferTicketDto(url, token, expires);
    }

    private async Task<FolderAccess> ReadyAsync(Caller caller, string folder, CancellationToken ct)
    {
        var a = await access.ResolveAsync(caller, folder, ct);
        a.Require(VFolderAction.Use);
        return a;
    }

    private static Problem? RequirePath(string? path, string field) =>
        string.IsNullOrEmpty(path) ? Problem.Invalid(field, "required", $"'{field}' needs a path inside the folder.") : null;

    private static void Throw(Problem? problem)
    {
        if (problem is not null) throw problem.ToException();
    }

    private static FileEntryDto ToDto(FileEntry e) => new(e.Name, e.Path, e.Kind.ToString().ToLowerInvariant(), e.Size, e.Modified, e.Mode, e.LinkTarget);
}
