using System.Net;
using Berth.Core.Contracts;

namespace Berth.Client;

/// <summary>
/// A request the Berth server refused (<see cref="StatusCode"/> and, usually, a <see cref="Problem"/>),
/// or one that never reached it (<see cref="StatusCode"/> is null). <see cref="Exception.Message"/> is the
/// sentence to show a person.
/// </summary>
public sealed class BerthApiException : Exception
{
    public BerthApiException(HttpStatusCode? statusCode, ProblemBody? problem, string message, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Problem = problem;
    }

    /// <summary>The HTTP status, or null when the server could not be reached at all.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The problem+json body, when the server sent one.</summary>
    public ProblemBody? Problem { get; }

    public string? Rule => Problem?.Rule;
    public string? Field => Problem?.Field;

    /// <summary>True when the request never got an HTTP answer (DNS, refused connection, reset, timeout).</summary>
    public bool IsNetworkError => StatusCode is null;
}
