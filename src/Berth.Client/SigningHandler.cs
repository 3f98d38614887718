using Berth.Core.Auth;

namespace Berth.Client;

/// <summary>
/// Signs every request under <c>/api/</c> with the keypair (see <see cref="RequestSignature"/>): the date,
/// the SHA-256 of the body, a fresh nonce and <c>Authorization: Berth-HMAC-SHA256 access:signature</c> over
/// the method, the request URI's <c>PathAndQuery</c> exactly as it is sent and those three. The body is
/// buffered to hash it (API bodies are small JSON). Requests that already carry an Authorization header
/// (storage requests with a bearer ticket) and requests made without keys pass through untouched.
/// </summary>
public sealed class SigningHandler : DelegatingHandler
{
    private readonly Func<ApiKeyPair?> _keys;
    private readonly Func<DateTime> _clock;

    public SigningHandler(Func<ApiKeyPair?> keys, HttpMessageHandler inner, Func<DateTime>? clock = null) : base(inner)
    {
        _keys = keys;
        _clock = clock ?? (() => DateTime.UtcNow);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (ShouldSign(request, out var keys))
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            Sign(request, keys, body);
        }
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (ShouldSign(request, out var keys))
        {
            byte[] body = [];
            if (request.Content is not null)
            {
                using var buffer = new MemoryStream();
                request.Content.ReadAsStream(cancellationToken).CopyTo(buffer);
                body = buffer.ToArray();
            }
            Sign(request, keys, body);
        }
        return base.Send(request, cancellationToken);
    }

    private bool ShouldSign(HttpRequestMessage request, out ApiKeyPair keys)
    {
        keys = _keys()!;
        var uri = request.RequestUri;
        return keys is not null && uri is { IsAbsoluteUri: true } && request.Headers.Authorization is null && IsApiPath(uri.AbsolutePath);
    }

    private void Sign(HttpRequestMessage request, ApiKeyPair keys, byte[] body)
    {
        if (body.Length > RequestSignature.MaxSignedBodyBytes)
            throw new InvalidOperationException(
                $"A signed API request body may have at most {RequestSignature.MaxSignedBodyBytes} bytes; files go through the storage API.");
        if (request.Content is { } original)
        {
            // What is hashed must be exactly what is sent: send the buffered bytes, with the original content headers.
            var replacement = new ByteArrayContent(body);
            foreach (var header in original.Headers)
                if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                    replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
            request.Content = replacement;
            original.Dispose();
        }
        var signed = RequestSignature.Create(keys.AccessKey, keys.SecretKey, request.Method.Method, request.RequestUri!.PathAndQuery, _clock(), body);
        foreach (var (name, value) in signed.All())
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    internal static bool IsApiPath(string absolutePath) =>
        absolutePath.StartsWith("/api/", StringComparison.Ordinal) || absolutePath.Contains("/api/", StringComparison.Ordinal);
}
