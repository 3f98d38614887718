using System.Buffers;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Berth.Core.Problems;
using Berth.Storage.Backend;
using Berth.Storage.FileSystem;
using Berth.Storage.Native;
using Berth.Storage.Options;
using Berth.Storage.Paths;
using Berth.Storage.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using static Berth.Storage.Uploads.UploadStaging;

namespace Berth.Storage.Uploads;

/// <summary>
/// Resumable uploads staged in <c>&lt;volume&gt;/.berth-staging/</c>. Bytes are appended to
/// <c>&lt;id&gt;.part</c>; when the last byte arrives the file is renamed into the folder in one
/// step, so nothing partial ever appears under the destination name. The sidecar outlives the
/// .part as a record of how the upload ended (completed or terminated), for
/// <see cref="StorageOptions.FinishedUploadRetention"/>.
/// </summary>
public sealed partial class UploadStore(StorageVolumes volumes, StorageOwner owner, IOptions<StorageOptions> options, TimeProvider time)
{
    public const int BufferSize = 1 << 20;
    private const int FileMode = 0b110_100_100;

    // One request at a time per upload; two PATCHes appending at once would interleave bytes.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _busy = new(StringComparer.Ordinal);
    // Serialises quota checks with sidecar creation so concurrent creates cannot both squeeze in.
    private readonly SemaphoreSlim _createLock = new(1, 1);

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex UploadId();

    /// <param name="idempotencyKey">A create retried with the same key (same user, folder, path and length) gets the
    /// first upload back, with its current offset, instead of a second one; with another path or length 422.</param>
    public async Task<UploadStatus> CreateAsync(StorageGrant grant, long length, CancellationToken ct, string? idempotencyKey = null)
    {
        if (length < 0)
            throw Problem.Invalid("Upload-Length", "upload-length-invalid", "Upload-Length must be a non-negative integer.").ToException();
        if (options.Value.MaxUploadBytes is { } max && length > max)
            throw Problem.TooLarge("upload-too-large", $"The upload is {length} bytes; this storage accepts at most {max} bytes per file.", "Upload-Length").ToException();
        var dest = FolderPath.Parse(grant.Path);
        if (dest.IsRoot) throw StorageErrors.RootNotAllowed("path", "an upload destination").ToException();

        await _createLock.WaitAsync(ct);
        try
        {
            if (idempotencyKey is not null && FindCreatedWith(grant, idempotencyKey) is { } first)
                return Replay(grant, first, dest, length);
            using (var root = volumes.OpenFolder(grant.Host, grant.FolderId))
            {
                CheckDestination(root, dest);
                if (grant.QuotaBytes is { } quota)
                {
                    // Allocated bytes, as every quota check counts them (docs/storage.md, "Usage and quotas").
                    var used = TreeOperations.Measure(root, ct).AllocatedBytes;
                    var pending = PendingBytes(grant.Host, grant.FolderId);
                    if (used + pending + length > quota)
                        throw Problem.TooLarge("quota-exceeded",
                            $"The folder uses {used} bytes ({pending} more in unfinished uploads) of its {quota}-byte quota; {length} more bytes do not fit.",
                            "Upload-Length").ToException();
                }
            }

            var record = new UploadRecord(Guid.NewGuid().ToString("N"), grant.Host, grant.FolderId, dest.ToString(), grant.QuotaBytes, length, time.GetUtcNow(),
                UserId: grant.UserId, IdempotencyKey: idempotencyKey);
            using var staging = volumes.OpenStaging(grant.Host);
            staging.OpenFile(Part(record.Id), Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL, FileMode).Dispose();
            CreateSidecar(staging, record);
            if (length == 0)
            {
                record = Complete(staging, record);
                return new UploadStatus(record, 0, Completed: true);
            }
            return new UploadStatus(record, 0, Completed: false);
        }
        finally
        {
            _createLock.Release();
        }
    }

    /// <summary>The upload the same user created in the same folder with <paramref name="key"/>, while its record is kept.</summary>
    private UploadRecord? FindCreatedWith(StorageGrant grant, string key)
    {
        using var staging = volumes.OpenStaging(grant.Host);
        foreach (var name in staging.Names())
        {
            if (!name.EndsWith(".json", StringComparison.Ordinal)) continue;
            var id = name[..^".json".Length];
            if (!UploadId().IsMatch(id)) continue;
            if (TryRead(staging, id) is { } r && r.IdempotencyKey == key && r.UserId == grant.UserId && r.FolderId == grant.FolderId && r.Host == grant.Host)
                return r;
        }
        return null;
    }

    private UploadStatus Replay(StorageGrant grant, UploadRecord first, FolderPath dest, long length)
    {
        if (first.Path != dest.ToString() || first.Length != length)
            throw new Problem(422, "idempotency-key-reused",
                "This Idempotency-Key already created an upload of another file or length; use a new key for a new upload.", "Idempotency-Key").ToException();
        if (first.TerminatedAt is not null) throw Terminated();
        using var staging = volumes.OpenStaging(grant.Host);
        var offset = first.CompletedAt is not null ? first.Length : PartLength(staging, first);
        return new UploadStatus(first, offset, first.CompletedAt is not null, Replayed: true);
    }

    /// <summary>
    /// The upload's state; the grant must name the same host, folder and path. A completed upload
    /// reports offset = length (tus 1.0: HEAD answers for completed uploads too); a terminated one is
    /// 410; one that a PATCH is writing right now is 423, since its offset is about to change.
    /// </summary>
    public UploadStatus Get(StorageGrant grant, string id)
    {
        using var staging = volumes.OpenStaging(grant.Host);
        var record = Load(staging, grant, id);
        if (record.TerminatedAt is not null) throw Terminated();
        if (record.CompletedAt is not null) return new UploadStatus(record, record.Length, Completed: true);
        if (_busy.TryGetValue(id, out var gate) && gate.CurrentCount == 0) throw Locked();
        return new UploadStatus(record, PartLength(staging, record), Completed: false);
    }

    /// <summary>
    /// Appends <paramref name="body"/> at <paramref name="offset"/>. Whatever arrived before the
    /// client went away is written before the exception propagates, so the upload can resume.
    /// </summary>
    public async Task<UploadStatus> AppendAsync(StorageGrant grant, string id, long offset, Stream body, long? contentLength, CancellationToken ct)
    {
        using var staging = volumes.OpenStaging(grant.Host);
        Load(staging, grant, id);
        var gate = TakeWriter(id);
        try
        {
            // Read again under the writer: the PATCH that held it may just have completed the upload.
            var record = Load(staging, grant, id);
            if (record.TerminatedAt is not null) throw Terminated();
            if (record.CompletedAt is not null)
            {
                // A client that never heard the last answer may repeat the empty final PATCH: tell it again.
                if (offset == record.Length && contentLength is null or 0) return new UploadStatus(record, record.Length, Completed: true);
                throw Problem.Conflict("upload-offset-mismatch",
                    $"Upload-Offset is {offset} but the upload is complete with all {record.Length} bytes; nothing more to send.", "Upload-Offset").ToException();
            }
            SafeFileHandle part;
            try { part = staging.OpenFile(Part(record.Id), Posix.O_WRONLY); }
            catch (PosixException e) when (e.Errno == Posix.ENOENT) { throw NotFound(); }
            using (part)
            {
                var current = RandomAccess.GetLength(part);
                if (current != offset)
                    throw Problem.Conflict("upload-offset-mismatch", $"Upload-Offset is {offset} but the upload has {current} bytes; resume from {current}.", "Upload-Offset").ToException();
                if (contentLength is { } n && current + n > record.Length)
                    throw Problem.TooLarge("upload-exceeds-length", $"{n} more bytes would exceed Upload-Length {record.Length} (have {current}).", "Content-Length").ToException();
                current = await CopyBodyAsync(body, part, current, record.Length, ct);
                if (current < record.Length) return new UploadStatus(record, current, Completed: false);
                owner.Apply(part);
                LibC.fchmod(part, FileMode);
            }
            record = Complete(staging, record);
            return new UploadStatus(record, record.Length, Completed: true);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>One request at a time writes to (or drops) an upload; a second one is told so (423) rather than kept waiting.</summary>
    private SemaphoreSlim TakeWriter(string id)
    {
        var gate = _busy.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        return gate.Wait(0) ? gate : throw Locked();
    }

    /// <summary>
    /// tus termination: drops the staged bytes and keeps a tombstone, so later requests hear 410.
    /// Terminating a completed upload only forgets it: the file is already the folder's and stays.
    /// </summary>
    public void Delete(StorageGrant grant, string id)
    {
        using var staging = volumes.OpenStaging(grant.Host);
        Load(staging, grant, id);
        var gate = TakeWriter(id);
        try
        {
            var record = Load(staging, grant, id);
            if (record.TerminatedAt is not null) throw Terminated();
            TryUnlink(staging, Part(record.Id));
            ReplaceSidecar(staging, record with { TerminatedAt = time.GetUtcNow() });
        }
        finally
        {
            gate.Release();
            _busy.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Removes, on every host, unfinished uploads created more than <paramref name="unfinishedMaxAge"/>
    /// ago and records of finished ones older than <paramref name="finishedRetention"/>; returns how many uploads it forgot.
    /// </summary>
    public int Sweep(DateTimeOffset now, TimeSpan unfinishedMaxAge, TimeSpan finishedRetention)
    {
        var removed = 0;
        foreach (var (host, _) in volumes.All)
        {
            using var staging = volumes.OpenStaging(host);
            foreach (var name in staging.Names())
            {
                var id = name.Split('.')[0];
                if (!UploadId().IsMatch(id) || _busy.TryGetValue(id, out var g) && g.CurrentCount == 0) continue;
                var record = TryRead(staging, id);
                var expired = record switch
                {
                    { FinishedAt: { } finished } => finished < now - finishedRetention,
                    { } unfinished => unfinished.CreatedAt < now - unfinishedMaxAge,
                    // A .part whose sidecar is gone, or a sidecar being replaced: judged by its age on disk.
                    null => staging.Stat(name)?.Modified < now - unfinishedMaxAge,
                };
                if (!expired) continue;
                TryUnlink(staging, name);
                if (name.EndsWith(".json", StringComparison.Ordinal)) removed++;
            }
        }
        return removed;
    }

    private async Task<long> CopyBodyAsync(Stream body, SafeFileHandle part, long offset, long length, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var filled = 0;
        try
        {
            while (true)
            {
                // Fill the whole buffer before writing: fewer, larger writes are what make the copy fast.
                var n = await body.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), ct);
                if (n > 0) filled += n;
                if (offset + filled > length)
                {
                    // Keep the part that fits; the excess is refused.
                    var fits = (int)(length - offset);
                    RandomAccess.Write(part, buffer.AsSpan(0, fits), offset);
                    filled = 0;
                    throw Problem.TooLarge("upload-exceeds-length", $"The request carries more bytes than Upload-Length {length}.", "Content-Length").ToException();
                }
                if (filled == BufferSize || n == 0 && filled > 0)
                {
                    RandomAccess.Write(part, buffer.AsSpan(0, filled), offset);
                    offset += filled;
                    filled = 0;
                }
                if (n == 0) return offset;
            }
        }
        catch when (filled > 0)
        {
            // The client went away (or the body broke) mid-buffer: keep what we got so the
            // upload resumes from the real offset, then let the failure propagate.
            RandomAccess.Write(part, buffer.AsSpan(0, filled), offset);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Moves the finished .part into the folder, then records the completion in the sidecar.</summary>
    private UploadRecord Complete(SafeDir staging, UploadRecord record)
    {
        var dest = FolderPath.Parse(record.Path);
        using (var root = volumes.OpenFolder(record.Host, record.FolderId))
        using (var parent = FolderWalker.OpenOrCreate(root, dest, dest.Components.Count - 1, "path", owner.Apply))
        {
            try
            {
                // renameat replaces a file (or the link itself) at the destination, atomically.
                staging.Rename(Part(record.Id), parent, dest.Name);
            }
            catch (PosixException e)
            {
                throw StorageErrors.From(e, dest, "path");
            }
        }
        var completed = record with { CompletedAt = time.GetUtcNow() };
        ReplaceSidecar(staging, completed);
        _busy.TryRemove(record.Id, out _);
        return completed;
    }

    /// <summary>Fails early on destinations that can never succeed; missing parents are fine.</summary>
    private static void CheckDestination(SafeDir root, FolderPath dest)
    {
        var dir = root.Reopen();
        try
        {
            for (var i = 0; i < dest.Components.Count - 1; i++)
            {
                var name = dest.Components[i];
                SafeDir next;
                try { next = dir.OpenDir(name); }
                catch (PosixException e) when (e.Errno == Posix.ENOENT) { return; }
                catch (PosixException e)
                {
                    throw FolderWalker.Explain(dir, name, e, FolderPath.Parse(string.Join('/', dest.Components.Take(i + 1))), "path");
                }
                dir.Dispose();
                dir = next;
            }
            if (dir.Stat(dest.Name) is { Type: NodeType.Directory })
                throw Problem.Conflict("is-a-directory", $"'{dest}' is a directory; an upload cannot replace it.", "path").ToException();
        }
        finally
        {
            dir.Dispose();
        }
    }

    /// <summary>Bytes promised by the folder's unfinished uploads (finished ones are in the folder already, or gone).</summary>
    private long PendingBytes(string host, Guid folderId)
    {
        using var staging = volumes.OpenStaging(host);
        return staging.Names()
            .Where(n => n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => TryRead(staging, n[..^5]))
            .Where(r => r is not null && r.FolderId == folderId && !r.IsFinished)
            .Sum(r => r!.Length);
    }

    private static UploadRecord Load(SafeDir staging, StorageGrant grant, string id)
    {
        if (!UploadId().IsMatch(id)) throw NotFound();
        var record = TryRead(staging, id) ?? throw NotFound();
        var path = FolderPath.Parse(grant.Path).ToString();
        if (record.Host != grant.Host || record.FolderId != grant.FolderId || record.Path != path)
            throw Problem.Forbidden("token-scope-mismatch", "The token was issued for a different folder or path than this upload.", "token").ToException();
        // Another user with write access to the same folder and path must not resume, read or end this upload:
        // answered as unknown, so the upload's existence is not told to them either.
        if (record.UserId != grant.UserId) throw NotFound();
        return record;
    }
}
