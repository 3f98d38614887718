using Berth.Core.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Berth.Manager.Http;

/// <summary>
/// The outermost step of every request, in front of the exception handler's catch-all: caps the body of JSON
/// API requests (<see cref="RequestLimits"/>) and answers every client error — a rule broken
/// (<see cref="BerthProblemException"/>), a body that does not bind or is too large (BadHttpRequestException) —
/// with problem+json. A client error is not a server failure: it is logged at Debug, on one line, with the route
/// pattern, status, rule and field only — never the user's input, never a stack trace. Only failures of the
/// server itself (anything else) reach the exception handler, which logs them as errors.
/// </summary>
public sealed partial class RequestEdge(RequestDelegate next, ILogger<RequestEdge> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (RequestLimits.For(context.Request.Path.Value ?? "") is { } cap
            && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            // A declared length over the cap is refused at once, before authentication reads (and hashes) anything:
            // the answer is the same 413 whoever sends it, and nobody makes the manager receive the megabytes.
            if (context.Request.ContentLength > cap)
            {
                await RefuseAsync(context, ProblemResponses.BodyTooLarge);
                return;
            }
            size.MaxRequestBodySize = cap;
        }
        try
        {
            await next(context);
        }
        catch (Exception e) when (ProblemResponses.ClientProblem(e) is { } problem && !context.Response.HasStarted)
        {
            await RefuseAsync(context, problem);
        }
        catch (Exception e) when (ProblemResponses.ClientProblem(e) is not null)
        {
            // The answer was already under way (a log stream, an event stream): nothing more can be said to the client.
            LogRefused(context.Request.Method, RouteOf(context), context.Response.StatusCode, "response-started", null);
        }
    }

    private async Task RefuseAsync(HttpContext context, Problem problem)
    {
        LogRefused(context.Request.Method, RouteOf(context), problem.Status, problem.Rule,
            problem.Field is null ? null : ProblemText.Quote(problem.Field));
        context.Response.Clear();
        context.Response.StatusCode = problem.Status;
        await ProblemResponses.ToResult(problem).ExecuteAsync(context);
    }

    /// <summary>The endpoint's pattern (<c>/api/vfolders/{folder}</c>), not the path the client sent, which may carry anything.</summary>
    private static string RouteOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused {Method} {Route}: {Status} {Rule} (field {Field}).")]
    private partial void LogRefused(string method, string route, int status, string rule, string? field);
}
