using System.Text.Json;
using Berth.Core.Problems;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Berth.Manager.Http;

/// <summary>Turns every failure that reaches the edge into problem+json naming the field and the rule.</summary>
public static class ProblemResponses
{
    public const string TypeBase = "https://berth.dev/problems/";

    /// <summary>The longest detail a response carries; rules quote input with <see cref="ProblemText.Quote"/>, this is the backstop.</summary>
    public const int MaxDetailLength = 1024;

    public static ProblemDetails ToDetails(Problem p)
    {
        var details = new ProblemDetails
        {
            Type = TypeBase + p.Rule,
            Title = TitleFor(p.Status),
            Status = p.Status,
            Detail = ProblemText.Limit(ProblemText.Escape(p.Detail), MaxDetailLength),
        };
        details.Extensions["rule"] = p.Rule;
        if (p.Field is not null) details.Extensions["field"] = ProblemText.Limit(ProblemText.Escape(p.Field), 256);
        return details;
    }

    public static IResult ToResult(Problem p) => TypedResults.Problem(ToDetails(p));

    /// <summary>A body over its endpoint's cap (<see cref="RequestLimits"/>), declared or found while reading.</summary>
    public static readonly Problem BodyTooLarge =
        new(413, "body-too-large", "The request body is larger than this endpoint accepts (1 MiB for the JSON API); file contents go through uploads.", "body");

    /// <summary>
    /// The problem a client caused, or null for a failure of the server itself: a broken rule, a body that is too
    /// large, or one that does not bind (not JSON, a wrong type, a number out of range) — named by its JSON path.
    /// </summary>
    public static Problem? ClientProblem(Exception error) => error switch
    {
        BerthProblemException bpe => bpe.Problem,
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => BodyTooLarge,
        BadHttpRequestException { InnerException: JsonException json } => BodyInvalid(json),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
            new Problem(415, "content-type-unsupported", "Send the request body as JSON (Content-Type: application/json).", "body"),
        BadHttpRequestException bad when bad.StatusCode is >= 400 and < 500 =>
            new Problem(bad.StatusCode, "body-invalid", "The request is malformed: its body is missing, or is not the JSON object this operation takes.", "body"),
        _ => null,
    };

    private static Problem BodyInvalid(JsonException json)
    {
        // The path is STJ's ($.resources.cpu); the message names the expected type, never the value that was sent.
        var path = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path;
        var syntax = json.Path is null || json.InnerException?.GetType().Name == "JsonReaderException";
        var why = syntax ? "it is not valid JSON" : $"the value at {ProblemText.Quote(json.Path, 128)} does not fit the field's type (or is out of its range)";
        var at = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
        return new Problem(400, "body-invalid", $"The request body cannot be read: {why}{at}.", path);
    }

    /// <summary>What the exception handler answers for a failure that no closer step handled: a bare 500 without internals.</summary>
    public static async Task HandleAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var problem = (error is null ? null : ClientProblem(error))
                      ?? new Problem(500, "internal-error", "The server failed while handling the request; the administrator can find the cause in the server log.");
        context.Response.StatusCode = problem.Status;
        await ToResult(problem).ExecuteAsync(context);
    }

    /// <summary>
    /// A status set with no body (an unmatched route; a body the framework found too large while binding it):
    /// the same problems as when the failure is thrown. The path is quoted, as all input is.
    /// </summary>
    public static async Task StatusOnlyAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        if (context.Response.HasStarted || context.Response.ContentLength > 0) return;
        var problem = status switch
        {
            404 => Problem.NotFound("route-not-found", $"No API endpoint at {context.Request.Method} {ProblemText.Quote(context.Request.Path.Value, 128)}."),
            413 => ClientProblem(new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge))!,
            415 => ClientProblem(new BadHttpRequestException("media type", StatusCodes.Status415UnsupportedMediaType))!,
            _ => new Problem(status, "http-" + status, $"The request failed with HTTP status {status}."),
        };
        await ToResult(problem).ExecuteAsync(context);
    }

    private static string TitleFor(int status) => status switch
    {
        400 => "Invalid request",
        401 => "Not authenticated",
        403 => "Not allowed",
        404 => "Not found",
        409 => "Conflict",
        413 => "Too large",
        415 => "Unsupported media type",
        >= 500 => "Server error",
        _ => "Request refused",
    };
}
