namespace Berth.Core.Contracts;

/// <summary>The problem+json body every error response carries (RFC 9457 plus <c>rule</c> and <c>field</c>).</summary>
public sealed record ProblemBody(string? Type, string? Title, int? Status, string? Detail, string? Rule, string? Field);
