using Berth.Core.Apps;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Berth.Manager.Apps;

/// <summary>
/// What the proxy changes on the way to an app and back: the app's own path and query, no Berth credentials
/// (<see cref="AppRequestSanitizer"/>), and only the app's own cookies, both ways (<see cref="AppCookieScope"/>).
/// </summary>
internal sealed class AppForwardTransformer(PathString path, QueryString query, AppCookieScope cookies) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken ct)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, ct);
        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, path, query);
        AppRequestSanitizer.Clean(proxyRequest);
        var header = proxyRequest.Headers.TryGetValues(HeaderNames.Cookie, out var values) ? cookies.ForRequest(values) : null;
        proxyRequest.Headers.Remove(HeaderNames.Cookie);
        if (header is not null) proxyRequest.Headers.TryAddWithoutValidation(HeaderNames.Cookie, header);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken ct)
    {
        var result = await base.TransformResponseAsync(httpContext, proxyResponse, ct);
        var headers = httpContext.Response.Headers;
        if (headers.SetCookie.Count > 0)
        {
            var rewritten = headers.SetCookie.Select(c => c is null ? null : cookies.ForResponse(c)).OfType<string>().ToArray();
            if (rewritten.Length == 0) headers.Remove(HeaderNames.SetCookie);
            else headers.SetCookie = rewritten;
        }
        return result;
    }
}
