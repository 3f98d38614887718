using System.Net;

namespace Berth.Storage.Tests.Support;

/// <summary>
/// A request body that sends its first bytes and then stalls until cancelled, standing in for
/// a client that dies mid-upload.
/// </summary>
public sealed class BlockingContent(byte[] head) : HttpContent
{
    private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Sent => _sent.Task;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(head, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        _sent.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
