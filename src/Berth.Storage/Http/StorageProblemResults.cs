using Berth.Core.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Berth.Storage.Http;

/// <summary>
/// Renders a <see cref="Problem"/> as RFC 7807 <c>application/problem+json</c> with the extra
/// members <c>rule</c> and <c>field</c>, the shape every Berth HTTP edge uses.
/// </summary>
public static class StorageProblemResults
{
    public static IResult From(Problem problem)
    {
        var details = new ProblemDetails
        {
            Status = problem.Status,
            Title = ReasonPhrases.GetReasonPhrase(problem.Status),
            Detail = problem.Detail,
            Type = $"https://berth.dev/problems/{problem.Rule}",
        };
        details.Extensions["rule"] = problem.Rule;
        details.Extensions["field"] = problem.Field;
        return TypedResults.Problem(details);
    }

    /// <summary>Endpoint filter turning thrown <see cref="BerthProblemException"/>s into problem responses.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (BerthProblemException e)
        {
            var http = context.HttpContext;
            if (http.Response.HasStarted)
            {
                // Mid-stream (a tar download): the status is gone, so cut the connection to make
                // the client see a failure rather than a truncated "success".
                http.Abort();
                return Results.Empty;
            }
            if (e.Problem.Status == StatusCodes.Status401Unauthorized)
                http.Response.Headers.WWWAuthenticate = "Bearer";
            return From(e.Problem);
        }
    }
}
