using System.Net.Http.Headers;

namespace Berth.Client;

public sealed partial class BerthClient
{
    /// <summary>
    /// The first <paramref name="maxBytes"/> bytes of a file (a preview): a download ticket and one ranged GET, so a
    /// large file is never read whole. <c>Truncated</c> says the file holds more than what was returned.
    /// </summary>
    public async Task<(byte[] Bytes, bool Truncated)> ReadFileStartAsync(string folder, string path, int maxBytes, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var ticket = await CreateDownloadTicketAsync(folder, path, ct).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, ResolveTicketUri(ticket));
        AddBearer(request, ticket);
        // One byte more than wanted: it tells "exactly maxBytes long" from "longer".
        request.Headers.Range = new RangeHeaderValue(0, maxBytes);
        using var response = await TransferSendAsync(request, ct).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new byte[maxBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await body.ReadAsync(buffer.AsMemory(read), ct).ConfigureAwait(false);
            if (n == 0) break;
            read += n;
        }
        return read > maxBytes ? (buffer[..maxBytes], true) : (buffer[..read], false);
    }
}
