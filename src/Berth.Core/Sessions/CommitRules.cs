using System.Text.RegularExpressions;
using Berth.Core.Problems;

namespace Berth.Core.Sessions;

/// <summary>
/// Committing a running session's container to a customized image (Backend.AI's "convert session to image").
/// The image name becomes a Docker tag, so it must also start with a letter or digit.
/// </summary>
public static partial class CommitRules
{
    public const int MinLength = 4;
    public const int MaxLength = 32;
    public const string CatalogPrefix = "customized-";

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]*\z")]
    private static partial Regex Pattern();

    public static Problem? CheckImageName(string? name, string field = "imageName")
    {
        if (string.IsNullOrEmpty(name))
            return Problem.Invalid(field, "required", "Name the image to make, e.g. `berth session commit NAME my-env`.");
        if (name.Length is < MinLength or > MaxLength || !Pattern().IsMatch(name))
            return Problem.Invalid(field, "image-name-invalid",
                $"{ProblemText.Quote(name)} is not a valid image name: use {MinLength}–{MaxLength} ASCII letters, digits, '.', '_' and '-', starting with a letter or digit.");
        return null;
    }

    /// <summary>The catalog name users launch it by.</summary>
    public static string CatalogName(string imageName) => CatalogPrefix + imageName;

    /// <summary>The Docker repository of a user's customized images: <c>berth/customized-1a2b3c4d</c> (Docker repositories are lower case).</summary>
    public static string Repository(Guid ownerId) => "berth/customized-" + ownerId.ToString("N")[..8];

    /// <summary>A session whose container is being committed is not destroyed unless forced (the commit then fails).</summary>
    public static Problem? CheckDestroy(string sessionName, bool committing, bool force) =>
        committing && !force
            ? Problem.Conflict("session-committing",
                $"Session '{sessionName}' is being committed to an image; wait for the commit to finish, or destroy it anyway with --force (the commit then fails).", "session")
            : null;

    /// <summary>Per-user limit from the resource policy (<c>MaxCustomizedImages</c>; null means no limit).</summary>
    public static Problem? CheckLimit(int owned, int? limit) =>
        limit is { } max && owned >= max
            ? Problem.Conflict("customized-image-limit",
                $"Your resource policy allows {max} customized image{(max == 1 ? "" : "s")} and you have {owned}; delete one first (`berth image list`, then `berth image delete customized-NAME`).", "imageName")
            : null;
}
