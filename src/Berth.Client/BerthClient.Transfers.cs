using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Berth.Core.Contracts;

namespace Berth.Client;

public sealed partial class BerthClient
{
    private const string TusVersion = "1.0.0";

    /// <summary>
    /// Uploads one local file to <paramref name="destPath"/> inside the folder over tus 1.0, streaming it from
    /// disk. With a <paramref name="resumeStore"/>, an interrupted upload (Ctrl+C, lost connection, crash) is
    /// continued by calling this again with the same arguments: the stored upload is asked for its offset and
    /// only the rest is sent. Broken connections are also retried in place <see cref="TransferRetries"/> times.
    /// </summary>
    public async Task<UploadResult> UploadFileAsync(
        string folder, string localPath, string destPath,
        IProgress<TransferProgress>? progress = null, IUploadResumeStore? resumeStore = null, CancellationToken ct = default)
    {
        var info = new FileInfo(localPath);
        if (!info.Exists) throw new FileNotFoundException($"no such file: {localPath}", localPath);
        var length = info.Length;

        UploadResumeKey? key = null;
        if (resumeStore is not null)
        {
            var folderId = await ResolveVFolderIdAsync(folder, ct).ConfigureAwait(false);
            key = new UploadResumeKey(Endpoint.AbsoluteUri, folderId?.ToString() ?? folder, destPath, length, info.LastWriteTimeUtc);
        }

        // A fresh ticket each run: it authorises both a new upload and continuing the stored one.
        var ticket = await CreateUploadTicketAsync(folder, destPath, length, ct).ConfigureAwait(false);

        await using var file = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);

        Uri? location = null;
        long offset = 0;
        var stored = key is null ? null : resumeStore!.Get(key);
        if (stored is not null && Uri.TryCreate(stored, UriKind.Absolute, out var storedUri))
        {
            // offset == length: an earlier run sent everything and only lost the last answer; nothing is left to send.
            var current = await StoredOffsetAsync(storedUri, ticket, ct).ConfigureAwait(false);
            if (current is { } o && o <= length)
            {
                location = storedUri;
                offset = o;
            }
            else
            {
                resumeStore!.Remove(key!);
            }
        }
        var resumedFrom = offset;

        if (location is null)
        {
            location = await CreateUploadAsync(ticket, length, ct).ConfigureAwait(false);
            if (key is not null) resumeStore!.Set(key, location.AbsoluteUri);
        }

        progress?.Report(new TransferProgress(destPath, offset, length, resumedFrom));
        var retriesLeft = TransferRetries;
        var offsetKnown = true;
        while (!offsetKnown || offset < length)
        {
            try
            {
                if (!offsetKnown)
                {
                    // Ask where the server got to. offset == length means the PATCH that broke did finish the
                    // upload and only its answer was lost (tus HEAD answers for completed uploads too): done.
                    offset = await HeadOffsetAsync(location, ticket, ct).ConfigureAwait(false)
                        ?? throw new BerthApiException(HttpStatusCode.NotFound, null,
                            $"the server no longer has the unfinished upload of {destPath} (it expired or was terminated); run the upload again to start over");
                    offsetKnown = true;
                    continue;
                }
                offset = await PatchAsync(location, ticket, file, offset, length, destPath, resumedFrom, progress, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && retriesLeft > 0 && IsRetryable(e))
            {
                retriesLeft--;
                offsetKnown = false;
                await Task.Delay(RetryDelay, ct).ConfigureAwait(false);
                // Tickets live minutes; a long upload that broke late asks for a fresh one to continue.
                if (ticket.ExpiresAt - DateTimeOffset.UtcNow < TimeSpan.FromMinutes(1))
                    ticket = await CreateUploadTicketAsync(folder, destPath, length, ct).ConfigureAwait(false);
            }
        }

        if (key is not null) resumeStore!.Remove(key);
        progress?.Report(new TransferProgress(destPath, length, length, resumedFrom));
        return new UploadResult(destPath, length, resumedFrom);
    }

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private static bool IsRetryable(Exception e) => e switch
    {
        BerthApiException { IsNetworkError: true } => true,
        // 423: the server is still finishing the request whose connection broke; it lets go shortly.
        BerthApiException { StatusCode: (HttpStatusCode)423 } => true,
        BerthApiException { StatusCode: HttpStatusCode.Conflict, Rule: "upload-offset-mismatch" } => true,
        BerthApiException { StatusCode: HttpStatusCode.Unauthorized, Rule: "token-expired" } => true,
        BerthApiException { StatusCode: HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout } => true,
        _ => false,
    };

    /// <summary>
    /// Creates the tus upload under one <c>Idempotency-Key</c> for all attempts: when the answer to the creation is
    /// lost, the retry gets the same upload back instead of leaving an orphan and starting a second one.
    /// </summary>
    private async Task<Uri> CreateUploadAsync(TransferTicketDto ticket, long length, CancellationToken ct)
    {
        var url = ResolveTicketUri(ticket);
        var key = NewIdempotencyKey();
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url);
            AddBearer(request, ticket);
            request.Headers.TryAddWithoutValidation("Tus-Resumable", TusVersion);
            request.Headers.TryAddWithoutValidation("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(IdempotencyHeader, key);
            request.Content = new ByteArrayContent([]);
            try
            {
                using var response = await TransferSendAsync(request, ct).ConfigureAwait(false);
                var location = response.Headers.Location
                    ?? throw new BerthApiException(response.StatusCode, null, "the storage server created the upload but sent no Location");
                return location.IsAbsoluteUri ? location : new Uri(url, location);
            }
            catch (BerthApiException e) when (attempt <= TransferRetries && !ct.IsCancellationRequested && IsRetryable(e))
            {
                await Task.Delay(RetryDelay, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The offset of an upload a resume store remembered, retrying while the server is busy with it or unreachable.</summary>
    private async Task<long?> StoredOffsetAsync(Uri location, TransferTicketDto ticket, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await HeadOffsetAsync(location, ticket, ct).ConfigureAwait(false);
            }
            catch (BerthApiException e) when (!ct.IsCancellationRequested && attempt < TransferRetries && IsRetryable(e))
            {
                await Task.Delay(RetryDelay, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The upload's offset (its length once complete), or null when the server no longer has it.
    /// 423 (another request is still writing it) and network failures are thrown for the caller to retry.
    /// </summary>
    private async Task<long?> HeadOffsetAsync(Uri location, TransferTicketDto ticket, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, location);
        AddBearer(request, ticket);
        request.Headers.TryAddWithoutValidation("Tus-Resumable", TusVersion);
        try
        {
            using var response = await TransferSendAsync(request, ct).ConfigureAwait(false);
            return ReadOffset(response);
        }
        catch (BerthApiException e) when (e.StatusCode is { } status && (int)status is >= 400 and < 500 and not 423)
        {
            // 404/410: expired or terminated; anything else 4xx: this location is of no use any more either.
            return null;
        }
    }

    private async Task<long> PatchAsync(
        Uri location, TransferTicketDto ticket, FileStream file, long offset, long length, string name, long resumedFrom,
        IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        file.Seek(offset, SeekOrigin.Begin);
        using var request = new HttpRequestMessage(HttpMethod.Patch, location);
        AddBearer(request, ticket);
        request.Headers.TryAddWithoutValidation("Tus-Resumable", TusVersion);
        request.Headers.TryAddWithoutValidation("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Content = new FileUploadContent(file, progress is null ? null :
            sent => progress.Report(new TransferProgress(name, offset + sent, length, resumedFrom)));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        using var response = await TransferSendAsync(request, ct).ConfigureAwait(false);
        var next = ReadOffset(response);
        if (next <= offset)
            throw new BerthApiException(response.StatusCode, null, $"the storage server accepted no bytes of {name} at offset {offset}");
        return next;
    }

    private static long ReadOffset(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Upload-Offset", out var values) &&
        long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw new BerthApiException(response.StatusCode, null, "the storage server sent no valid Upload-Offset");

    /// <summary>Sends a storage request; maps network failures and non-2xx answers to <see cref="BerthApiException"/>.</summary>
    private async Task<HttpResponseMessage> TransferSendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (!ct.IsCancellationRequested)
        {
            throw Unreachable(e);
        }
        catch (IOException e) when (!ct.IsCancellationRequested)
        {
            throw Unreachable(e);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw Unreachable(new TimeoutException("the connection timed out"));
        }
        await EnsureSuccessAsync(response, ct).ConfigureAwait(false);
        return response;
    }

    // ---- download ------------------------------------------------------------------------------------

    /// <summary>
    /// Downloads a file (or, for a directory, the server's tar stream of it) to <paramref name="localFile"/>,
    /// through <c>localFile.part</c> that is renamed when complete. A <c>.part</c> left by an interrupted run is
    /// continued with a Range request when the server supports it, and restarted otherwise.
    /// </summary>
    public Task<DownloadResult> DownloadAsync(
        string folder, string remotePath, string localFile, IProgress<TransferProgress>? progress = null, CancellationToken ct = default) =>
        DownloadCoreAsync(folder, remotePath, localFile + ".part", _ => localFile, progress, ct);

    /// <summary>
    /// Downloads into <paramref name="directory"/>, naming the file as the server suggests
    /// (<c>Content-Disposition</c>, e.g. <c>dir.tar</c> for a directory), else after the remote path's last segment.
    /// </summary>
    public Task<DownloadResult> DownloadToDirectoryAsync(
        string folder, string remotePath, string directory, IProgress<TransferProgress>? progress = null, CancellationToken ct = default)
    {
        var baseName = RemoteBaseName(remotePath);
        return DownloadCoreAsync(folder, remotePath, Path.Combine(directory, baseName + ".part"),
            suggested => Path.Combine(directory, suggested ?? baseName), progress, ct);
    }

    /// <summary>The last segment of a remote path, or <c>download</c> for the folder root.</summary>
    public static string RemoteBaseName(string remotePath)
    {
        var name = remotePath.Replace('\\', '/').TrimEnd('/');
        name = name[(name.LastIndexOf('/') + 1)..];
        return name is "" or "." or ".." ? "download" : name;
    }

    private async Task<DownloadResult> DownloadCoreAsync(
        string folder, string remotePath, string partPath, Func<string?, string> finalPath,
        IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var retriesLeft = TransferRetries;
        while (true)
        {
            try
            {
                var ticket = await CreateDownloadTicketAsync(folder, remotePath, ct).ConfigureAwait(false);
                return await DownloadOnceAsync(ticket, remotePath, partPath, finalPath, progress, ct).ConfigureAwait(false);
            }
            catch (BerthApiException e) when (!ct.IsCancellationRequested && retriesLeft > 0 && e.IsNetworkError)
            {
                // The .part keeps what arrived; the next attempt continues from there.
                retriesLeft--;
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(false);
            }
        }
    }

    private async Task<DownloadResult> DownloadOnceAsync(
        TransferTicketDto ticket, string remotePath, string partPath, Func<string?, string> finalPath,
        IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var existing = File.Exists(partPath) ? new FileInfo(partPath).Length : 0;
        HttpResponseMessage response;
        using (var request = new HttpRequestMessage(HttpMethod.Get, ResolveTicketUri(ticket)))
        {
            AddBearer(request, ticket);
            if (existing > 0) request.Headers.Range = new RangeHeaderValue(existing, null);
            try
            {
                response = await TransferSendAsync(request, ct).ConfigureAwait(false);
            }
            catch (BerthApiException e) when (existing > 0 && e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                // The .part is no prefix of the file (it changed, or is complete and the length check is strict): restart.
                File.Delete(partPath);
                return await DownloadOnceAsync(ticket, remotePath, partPath, finalPath, progress, ct).ConfigureAwait(false);
            }
        }

        var resumed = response.StatusCode == HttpStatusCode.PartialContent && existing > 0
            && response.Content.Headers.ContentRange is { From: { } from } && from == existing;
        if (response.StatusCode == HttpStatusCode.PartialContent && !resumed)
        {
            // A range we did not ask for: start over without one.
            response.Dispose();
            File.Delete(partPath);
            return await DownloadOnceAsync(ticket, remotePath, partPath, finalPath, progress, ct).ConfigureAwait(false);
        }

        using (response)
        {
            var start = resumed ? existing : 0;
            long? total = response.Content.Headers.ContentRange?.Length
                ?? (response.Content.Headers.ContentLength is { } len ? start + len : null);
            var media = response.Content.Headers.ContentType?.MediaType;
            var suggested = ContentDispositionFileName.Parse(response.Content.Headers.ContentDisposition);
            var isArchive = string.Equals(media, "application/x-tar", StringComparison.OrdinalIgnoreCase);

            var dir = Path.GetDirectoryName(Path.GetFullPath(partPath));
            if (dir is not null) Directory.CreateDirectory(dir);

            progress?.Report(new TransferProgress(remotePath, start, total, start));
            long written;
            await using (var source = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false))
            await using (var target = new FileStream(partPath, resumed ? FileMode.Open : FileMode.Create, FileAccess.Write, FileShare.None,
                             bufferSize: 0, FileOptions.SequentialScan))
            {
                if (resumed) target.Seek(start, SeekOrigin.Begin);
                try
                {
                    written = await TransferCopy.CopyAsync(source, target, progress is null ? null :
                        n => progress.Report(new TransferProgress(remotePath, start + n, total, start)), ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
                {
                    throw Unreachable(e);
                }
            }

            var bytes = start + written;
            if (total is { } t && bytes != t)
                throw Unreachable(new IOException($"the connection closed after {bytes} of {t} bytes"));

            var final = finalPath(suggested);
            File.Move(partPath, final, overwrite: true);
            return new DownloadResult(final, suggested, bytes, isArchive, start);
        }
    }
}

/// <summary>Reads the file name out of a <c>Content-Disposition</c> header, safely: never a path, never empty.</summary>
public static class ContentDispositionFileName
{
    public static string? Parse(string? headerValue) =>
        headerValue is not null && ContentDispositionHeaderValue.TryParse(headerValue, out var parsed) ? Parse(parsed) : null;

    public static string? Parse(ContentDispositionHeaderValue? header)
    {
        if (header is null) return null;
        var name = header.FileNameStar;
        if (string.IsNullOrWhiteSpace(name)) name = header.FileName;
        if (string.IsNullOrWhiteSpace(name)) return null;
        name = name.Trim().Trim('"');
        // A server must not be able to write outside the chosen directory: keep the last segment only.
        name = name.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        if (name is "" or "." or ".." || name.Any(char.IsControl)) return null;
        return name;
    }
}
