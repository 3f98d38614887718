using System.Text.RegularExpressions;
using Berth.Core.Problems;

namespace Berth.Core.Accounts;

public static partial class AccountRules
{
    /// <summary>
    /// Twelve: with the common-password check, twelve characters put an offline guess of a stolen hash
    /// (PBKDF2, 100,000 rounds) out of reach for anything but the listed and patterned passwords, which are
    /// refused anyway; NIST SP 800-63B asks for at least 8 (15 when the password is the only factor) and
    /// 12 is where most people can still type a passphrase from memory. It also keeps the old 8-character
    /// minimum's favourites ("password", "12345678") out on length alone.
    /// </summary>
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 256;
    public const string DefaultProjectName = "default";

    [GeneratedRegex(@"\A[^@\s]{1,64}@[^@\s]{1,255}\z")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex ProjectNamePattern();

    public static Problem? CheckEmail(string? email, string field = "email")
    {
        if (string.IsNullOrWhiteSpace(email))
            return Problem.Invalid(field, "required", "An email address is required.");
        if (!EmailPattern().IsMatch(email))
            return Problem.Invalid(field, "email-invalid", $"'{email}' is not an email address (expected name@domain).");
        return null;
    }

    /// <param name="email">The account's email: its whole and its local part are refused as the password.</param>
    public static Problem? CheckPassword(string? password, string? email = null, string field = "password")
    {
        if (string.IsNullOrEmpty(password))
            return Problem.Invalid(field, "required", "A password is required.");
        if (password.Length < MinPasswordLength)
            return Problem.Invalid(field, "password-too-short", $"Passwords need at least {MinPasswordLength} characters.");
        if (password.Length > MaxPasswordLength)
            return Problem.Invalid(field, "password-too-long", $"Passwords may have at most {MaxPasswordLength} characters.");
        if (email is not null && IsLikeEmail(password, email))
            return Problem.Invalid(field, "password-like-email", "The password may not be the email address or its name part.");
        if (CommonPasswords.IsCommon(password) || password.Distinct().Count() < 5)
            return Problem.Invalid(field, "password-common",
                "That password is on the list of passwords attackers try first (or a variant of one); choose another, e.g. a few unrelated words.");
        return null;
    }

    private static bool IsLikeEmail(string password, string email)
    {
        var lower = password.ToLowerInvariant();
        var normalized = NormalizeEmail(email);
        var at = normalized.IndexOf('@');
        var local = at > 0 ? normalized[..at] : normalized;
        var localCore = CommonPasswords.Core(local);
        return lower == normalized || lower == local || (localCore.Length > 0 && CommonPasswords.Core(lower) == localCore);
    }

    public static Problem? CheckProjectName(string? name, string field = "name")
    {
        if (string.IsNullOrWhiteSpace(name))
            return Problem.Invalid(field, "required", "A project name is required.");
        if (!ProjectNamePattern().IsMatch(name))
            return Problem.Invalid(field, "name-invalid",
                "Project names are 1-64 characters of letters, digits, '.', '_' and '-', starting with a letter or digit.");
        return null;
    }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
