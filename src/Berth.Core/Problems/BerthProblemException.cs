namespace Berth.Core.Problems;

/// <summary>
/// A failure the user can act on. Every layer throws this (or returns a <see cref="Problem"/>)
/// and the HTTP edge turns it into problem+json, so the field and the rule that was broken
/// travel unchanged from the domain rule to the CLI's error message.
/// </summary>
public sealed class BerthProblemException(Problem problem) : Exception(problem.Detail)
{
    public Problem Problem { get; } = problem;
}

/// <param name="Status">HTTP status code that fits the failure.</param>
/// <param name="Rule">Stable machine-readable rule id, e.g. <c>name-reserved</c>.</param>
/// <param name="Detail">A sentence a person understands.</param>
/// <param name="Field">The request field at fault, when there is one.</param>
public sealed record Problem(int Status, string Rule, string Detail, string? Field = null)
{
    public BerthProblemException ToException() => new(this);

    public static Problem Invalid(string field, string rule, string detail) => new(400, rule, detail, field);
    public static Problem NotFound(string rule, string detail, string? field = null) => new(404, rule, detail, field);
    public static Problem Conflict(string rule, string detail, string? field = null) => new(409, rule, detail, field);
    public static Problem Forbidden(string rule, string detail, string? field = null) => new(403, rule, detail, field);
    public static Problem TooLarge(string rule, string detail, string? field = null) => new(413, rule, detail, field);
}
