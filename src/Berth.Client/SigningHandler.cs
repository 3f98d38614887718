using System.Globalization;
using Berth.Core.Auth;

namespace Berth.Client;

/// <summary>
/// Signs every request under <c>/api/</c> with the keypair (see <see cref="RequestSignature"/>):
/// <c>X-Berth-Date</c> plus <c>Authorization: Berth-HMAC-SHA256 access:signature</c> over the method,
/// the request URI's <c>PathAndQuery</c> exactly as it is sent, and the date. Requests that already carry
/// an Authorization header (storage requests with a bearer ticket) and requests made without keys pass
/// through untouched.
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

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Sign(request);
        return base.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Sign(request);
        return base.Send(request, cancellationToken);
    }

    private void Sign(HttpRequestMessage request)
    {
        var keys = _keys();
        var uri = request.RequestUri;
        if (keys is null || uri is null || !uri.IsAbsoluteUri || request.Headers.Authorization is not null) return;
        if (!IsApiPath(uri.AbsolutePath)) return;

        var date = _clock().ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);
        var signature = RequestSignature.Sign(keys.SecretKey, request.Method.Method, uri.PathAndQuery, date);
        request.Headers.Remove(RequestSignature.DateHeader);
        request.Headers.TryAddWithoutValidation(RequestSignature.DateHeader, date);
        request.Headers.TryAddWithoutValidation("Authorization", RequestSignature.AuthorizationValue(keys.AccessKey, signature));
    }

    internal static bool IsApiPath(string absolutePath) =>
        absolutePath.StartsWith("/api/", StringComparison.Ordinal) || absolutePath.Contains("/api/", StringComparison.Ordinal);
}
