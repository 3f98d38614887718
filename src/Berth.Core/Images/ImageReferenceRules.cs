using System.Text.RegularExpressions;
using Berth.Core.Problems;

namespace Berth.Core.Images;

/// <summary>
/// A Docker image reference as the engine accepts it (distribution's reference grammar):
/// <c>[host[:port]/]path[:tag][@sha256:digest]</c> with lowercase path components. Checked before the engine
/// is asked, so a bad reference is a 400 naming the rule rather than the engine's own error.
/// </summary>
public static partial class ImageReferenceRules
{
    /// <summary>Docker's limit on a repository name, and the catalog column (512) holds it with tag and digest.</summary>
    public const int MaxLength = 255;

    // host: DNS labels (or an IPv4 address) with an optional port; path components: lowercase alphanumerics
    // joined by '.', '_', '__' or dashes; tag: a word character then up to 127 of [\w.-]; digest: algorithm:hex.
    [GeneratedRegex(
        @"\A(?:(?<host>(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?))*(?::[0-9]+)?)/)?" +
        @"(?<path>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)" +
        @"(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?" +
        @"(?:@(?<digest>[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}))?\z")]
    private static partial Regex Pattern();

    public static Problem? Check(string? reference, string field = "reference")
    {
        if (string.IsNullOrWhiteSpace(reference))
            return Problem.Invalid(field, "required", "Give a Docker image reference, e.g. berth/python:latest.");
        if (reference.Length > MaxLength)
            return Problem.Invalid(field, "reference-too-long", $"An image reference has at most {MaxLength} characters (got {reference.Length}).");
        var match = Pattern().Match(reference);
        // A first component without '.', ':' or "localhost" is a path, not a host: docker.io/library/ is implied.
        if (!match.Success)
            return Problem.Invalid(field, "reference-invalid",
                $"{ProblemText.Quote(reference)} is not a Docker image reference: use [host/]name[:tag], with a lowercase name (letters, digits, '.', '_', '-', '/'), e.g. berth/python:latest.");
        return null;
    }
}
