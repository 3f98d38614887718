using Berth.Manager.Sessions;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Berth.Manager.Apps;

/// <summary>
/// The credential the app proxy presents to a session's own web service (Jupyter): <c>Authorization: token …</c> with the
/// session's <see cref="AppTokens"/> token. Called only after the proxy's own authentication passed. Only image services
/// get it; a preopen port is the user's own server and sees no Berth secret. The proxy's transformer is wrapped, so the
/// header is set last and whatever the client sent as Authorization is replaced.
/// </summary>
public sealed class AppUpstreamCredentials(AppTokens tokens)
{
    public HttpTransformer Wrap(HttpTransformer inner, AppGrant grant) =>
        grant.Kind == SessionApps.ServiceKind ? new WithToken(inner, "token " + tokens.For(grant.SessionId)) : inner;

    private sealed class WithToken(HttpTransformer inner, string authorization) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await inner.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.Headers.Remove("Authorization");
            proxyRequest.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken) =>
            inner.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);

        public override ValueTask TransformResponseTrailersAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken) =>
            inner.TransformResponseTrailersAsync(httpContext, proxyResponse, cancellationToken);
    }
}
