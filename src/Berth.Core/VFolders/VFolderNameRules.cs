using System.Text.RegularExpressions;
using Berth.Core.Problems;

namespace Berth.Core.VFolders;

/// <summary>
/// What a folder may be called. Names end up as mount points under <c>/home/work</c>, so names
/// that would shadow files a session depends on (shell rc files, .ssh, system directories) are refused.
/// </summary>
public static partial class VFolderNameRules
{
    public const int MaxLength = 64;

    /// <summary>Dot-folders that the platform itself manages inside every session.</summary>
    public static readonly IReadOnlySet<string> ReservedDotNames =
        new HashSet<string>(StringComparer.Ordinal) { ".terminfo", ".jupyter", ".tmux.conf", ".ssh", ".", ".." };

    public static readonly IReadOnlySet<string> SystemNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "media", "mnt", "opt",
        "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var",
    };

    [GeneratedRegex(@"\A[A-Za-z0-9._-]+\z")]
    private static partial Regex AllowedChars();

    // .bashrc, .zshrc, .vimrc, .bash_profile, .profile ...
    [GeneratedRegex(@"^\.[A-Za-z0-9_-]*rc$")]
    private static partial Regex RcFile();

    [GeneratedRegex(@"^\.([A-Za-z0-9_-]*_)?profile$")]
    private static partial Regex ProfileFile();

    public static bool IsAutoMount(string name) => name.StartsWith('.');

    public static Problem? Check(string? name, string field = "name")
    {
        if (string.IsNullOrEmpty(name))
            return Problem.Invalid(field, "required", "A folder name is required.");
        if (name.Length > MaxLength)
            return Problem.Invalid(field, "name-too-long", $"Folder names may have at most {MaxLength} characters (got {name.Length}).");
        if (!AllowedChars().IsMatch(name))
            return Problem.Invalid(field, "name-invalid", $"{ProblemText.Quote(name)} has characters other than letters, digits, '.', '_' and '-'.");
        if (ReservedDotNames.Contains(name) || RcFile().IsMatch(name) || ProfileFile().IsMatch(name))
            return Problem.Invalid(field, "name-reserved", $"{ProblemText.Quote(name)} is reserved: it would hide a file that sessions need in the home directory.");
        if (SystemNames.Contains(name))
            return Problem.Invalid(field, "name-reserved", $"{ProblemText.Quote(name)} is reserved: it is a system path.");
        return null;
    }

    /// <summary>Backend.AI's rule: dot-folders follow their owner into sessions, so they belong to one user — save <c>.local</c>, which a project may also own.</summary>
    public static Problem? CheckOwnership(string name, VFolderOwnership ownership, string field = "name")
    {
        if (ownership == VFolderOwnership.Project && IsAutoMount(name) && name != ".local")
            return Problem.Invalid(field, "automount-user-only", $"{ProblemText.Quote(name)} starts with a dot, so it is an auto-mount folder: only a user (not a project) can own it.");
        return null;
    }
}
