using System.Text.RegularExpressions;
using Berth.Core.Problems;

namespace Berth.Core.Accounts;

public static partial class AccountRules
{
    public const int MinPasswordLength = 8;
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

    public static Problem? CheckPassword(string? password, string field = "password")
    {
        if (string.IsNullOrEmpty(password))
            return Problem.Invalid(field, "required", "A password is required.");
        if (password.Length < MinPasswordLength)
            return Problem.Invalid(field, "password-too-short", $"Passwords need at least {MinPasswordLength} characters.");
        if (password.Length > MaxPasswordLength)
            return Problem.Invalid(field, "password-too-long", $"Passwords may have at most {MaxPasswordLength} characters.");
        return null;
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
