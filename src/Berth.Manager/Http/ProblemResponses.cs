using Berth.Core.Problems;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Berth.Manager.Http;

/// <summary>Turns every failure that reaches the edge into problem+json naming the field and the rule.</summary>
public static class ProblemResponses
{
    public const string TypeBase = "https://berth.dev/problems/";

    public static ProblemDetails ToDetails(Problem p)
    {
        var details = new ProblemDetails
        {
            Type = TypeBase + p.Rule,
            Title = TitleFor(p.Status),
            Status = p.Status,
            Detail = p.Detail,
        };
        details.Extensions["rule"] = p.Rule;
        if (p.Field is not null) details.Extensions["field"] = p.Field;
        return details;
    }

    public static IResult ToResult(Problem p) => TypedResults.Problem(ToDetails(p));

    /// <summary>Maps exceptions thrown anywhere in a request to a problem; unknown ones become a bare 500 without internals.</summary>
    public static async Task HandleAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var problem = error switch
        {
            BerthProblemException bpe => bpe.Problem,
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
                new Problem(413, "body-too-large", "The request body is larger than the server accepts."),
            BadHttpRequestException bad => new Problem(400, "body-invalid", BodyMessage(bad), "body"),
            _ => new Problem(500, "internal-error", "The server failed while handling the request; the administrator can find the cause in the server log."),
        };
        context.Response.StatusCode = problem.Status;
        await ToResult(problem).ExecuteAsync(context);
    }

    private static string BodyMessage(BadHttpRequestException bad) =>
        bad.InnerException is System.Text.Json.JsonException json
            ? $"The request body is not valid JSON for this operation: {json.Message}"
            : bad.Message;

    private static string TitleFor(int status) => status switch
    {
        400 => "Invalid request",
        401 => "Not authenticated",
        403 => "Not allowed",
        404 => "Not found",
        409 => "Conflict",
        413 => "Too large",
        _ => "Server error",
    };
}
