using System.Buffers;
using System.Diagnostics;
using System.Net;

namespace Berth.Client;

/// <summary>
/// The copy loop both directions use: two 1 MiB buffers, so the next read overlaps the previous write,
/// rented once per transfer; progress reported at most every 100 ms (and at the end).
/// </summary>
internal static class TransferCopy
{
    public const int BufferSize = 1 << 20;
    private static readonly long ReportInterval = Stopwatch.Frequency / 10;

    public static async Task<long> CopyAsync(
        Stream source, Stream destination, Action<long>? onProgress, CancellationToken ct, long limit = long.MaxValue)
    {
        var a = ArrayPool<byte>.Shared.Rent(BufferSize);
        var b = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;
        var lastReport = Stopwatch.GetTimestamp();
        var pending = ValueTask.CompletedTask;
        try
        {
            var current = a;
            while (true)
            {
                var want = (int)Math.Min(BufferSize, limit - total);
                // Fill the whole buffer (sockets hand out a few KiB per read): fewer, larger writes.
                var read = want == 0 ? 0 : await source.ReadAtLeastAsync(current.AsMemory(0, want), want, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                var previous = pending;
                pending = ValueTask.CompletedTask;
                await previous.ConfigureAwait(false);
                if (read == 0) break;
                pending = destination.WriteAsync(current.AsMemory(0, read), ct);
                total += read;
                current = ReferenceEquals(current, a) ? b : a;

                var now = Stopwatch.GetTimestamp();
                if (onProgress is not null && now - lastReport >= ReportInterval)
                {
                    lastReport = now;
                    onProgress(total);
                }
            }
            onProgress?.Invoke(total);
            return total;
        }
        finally
        {
            // Never hand a buffer back to the pool while a write may still be reading it.
            try { await pending.ConfigureAwait(false); } catch { /* the exception already on its way out is the one that matters */ }
            ArrayPool<byte>.Shared.Return(a);
            ArrayPool<byte>.Shared.Return(b);
        }
    }
}

/// <summary>
/// A request body streamed from an open file, from its current position to its end: never buffered in memory,
/// with a known Content-Length and progress reports as bytes go out.
/// </summary>
internal sealed class FileUploadContent : HttpContent
{
    private readonly FileStream _file;
    private readonly long _length;
    private readonly Action<long>? _onProgress;

    public FileUploadContent(FileStream file, Action<long>? onProgress)
    {
        _file = file;
        _length = file.Length - file.Position;
        _onProgress = onProgress;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        await TransferCopy.CopyAsync(_file, stream, _onProgress, cancellationToken, _length).ConfigureAwait(false);

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
