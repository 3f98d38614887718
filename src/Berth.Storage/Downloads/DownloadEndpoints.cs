using System.Formats.Tar;
using Berth.Core.Problems;
using Berth.Storage.Backend;
using Berth.Storage.FileSystem;
using Berth.Storage.Http;
using Berth.Storage.Native;
using Berth.Storage.Paths;
using Berth.Storage.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Berth.Storage.Downloads;

/// <summary>
/// <c>GET</c>/<c>HEAD /storage/v1/download</c>: a file streams with RFC 9110 byte ranges (see
/// <see cref="ByteRanges"/>); a directory streams as a tar archive of unknown length, without ranges.
/// Everything is opened through the fd walker, so links are never followed.
/// </summary>
public static class DownloadEndpoints
{
    // O_NONBLOCK: a file swapped for a fifo after our stat must not hang the open.
    private const int ReadFlags = Posix.O_RDONLY | 0x800;

    public static void Map(RouteGroupBuilder api)
    {
        // HEAD answers exactly the headers GET would (RFC 9110 §9.3.2), so `wget --spider` and
        // download managers can probe a URL before fetching it.
        api.MapMethods("/download", [HttpMethods.Get, HttpMethods.Head], async (HttpContext http, StorageTokenService tokens, StorageVolumes volumes) =>
        {
            var grant = await StorageAuth.RequireAsync(http, tokens, StorageOperations.Download);
            var path = FolderPath.Parse(grant.Path);
            using var root = volumes.OpenFolder(grant.Host, grant.FolderId);
            if (path.IsRoot)
            {
                await WriteTarAsync(http, root.Reopen(), "folder", http.RequestAborted);
                return Results.Empty;
            }
            using var parent = FolderWalker.OpenParent(root, path, "path");
            var st = parent.Stat(path.Name) ?? throw StorageErrors.From(Posix.ENOENT, path, "path");
            switch (st.Type)
            {
                case NodeType.Symlink:
                    throw StorageErrors.SymlinkNotFollowed(path, "path").ToException();
                case NodeType.Directory:
                    SafeDir dir;
                    try { dir = parent.OpenDir(path.Name); }
                    catch (PosixException e) { throw FolderWalker.Explain(parent, path.Name, e, path, "path"); }
                    await WriteTarAsync(http, dir, path.Name, http.RequestAborted);
                    return Results.Empty;
                case NodeType.File:
                    return SendFile(http, parent, path, st);
                default:
                    throw Problem.Invalid("path", "not-a-regular-file", $"'{path}' is neither a file nor a directory.").ToException();
            }
        });
    }

    private static IResult SendFile(HttpContext http, SafeDir parent, FolderPath path, StatInfo st)
    {
        ByteRanges.IgnoreUnknownUnits(http.Request);
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try { handle = parent.OpenFile(path.Name, ReadFlags); }
        catch (PosixException e) { throw FolderWalker.Explain(parent, path.Name, e, path, "path"); }
        var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        var etag = new EntityTagHeaderValue($"\"{st.Size:x}-{st.Modified.UtcTicks:x}\"");
        return Results.File(stream, "application/octet-stream", path.Name, st.Modified, etag, enableRangeProcessing: true);
    }

    private static async Task WriteTarAsync(HttpContext http, SafeDir dir, string name, CancellationToken ct)
    {
        using (dir)
        {
            http.Response.ContentType = "application/x-tar";
            http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
            {
                FileName = name + ".tar",
                FileNameStar = name + ".tar",
            }.ToString();
            // The archive is built as it streams: no length is known and no range can be served.
            http.Response.Headers.AcceptRanges = "none";
            http.Response.Headers.CacheControl = "no-store";
            if (HttpMethods.IsHead(http.Request.Method)) return;
            await using var tar = new TarWriter(http.Response.Body, TarEntryFormat.Pax, leaveOpen: true);
            var self = dir.StatSelf();
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, name + "/") { Mode = (UnixFileMode)self.Mode, ModificationTime = self.Modified }, ct);
            await WriteDirectoryAsync(tar, dir, name + "/", ct);
        }
    }

    /// <summary>
    /// Adds a directory's entries. Symlinks become symlink entries carrying the link text; their
    /// targets are never read. Sockets, fifos and devices are skipped.
    /// </summary>
    private static async Task WriteDirectoryAsync(TarWriter tar, SafeDir dir, string prefix, CancellationToken ct)
    {
        foreach (var name in dir.Names())
        {
            ct.ThrowIfCancellationRequested();
            if (dir.Stat(name) is not { } st) continue;
            var entryName = prefix + name;
            switch (st.Type)
            {
                case NodeType.Directory:
                    SafeDir child;
                    try { child = dir.OpenDir(name); }
                    catch (PosixException e) when (e.Errno is Posix.ENOENT or Posix.ELOOP or Posix.ENOTDIR) { continue; }
                    using (child)
                    {
                        await tar.WriteEntryAsync(Entry(TarEntryType.Directory, entryName + "/", st), ct);
                        await WriteDirectoryAsync(tar, child, entryName + "/", ct);
                    }
                    break;
                case NodeType.File:
                    Microsoft.Win32.SafeHandles.SafeFileHandle handle;
                    try { handle = dir.OpenFile(name, ReadFlags); }
                    catch (PosixException e) when (e.Errno is Posix.ENOENT or Posix.ELOOP) { continue; }
                    var entry = Entry(TarEntryType.RegularFile, entryName, st);
                    await using (var data = new FixedLengthReadStream(new FileStream(handle, FileAccess.Read, bufferSize: 0), st.Size))
                    {
                        entry.DataStream = data;
                        await tar.WriteEntryAsync(entry, ct);
                    }
                    break;
                case NodeType.Symlink:
                    string target;
                    try { target = dir.ReadLink(name); }
                    catch (PosixException) { continue; }
                    var link = Entry(TarEntryType.SymbolicLink, entryName, st);
                    link.LinkName = target;
                    await tar.WriteEntryAsync(link, ct);
                    break;
            }
        }
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, StatInfo st) =>
        new(type, name) { Mode = (UnixFileMode)st.Mode, ModificationTime = st.Modified };
}
