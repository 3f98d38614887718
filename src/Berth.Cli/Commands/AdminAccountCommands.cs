using System.CommandLine;
using Berth.Core.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth admin user deactivate|activate|delete|set-role|reset-password</c> and <c>berth admin audit</c>.</summary>
internal static class AdminAccountCommands
{
    /// <summary>The account changes, added to <c>berth admin user</c>.</summary>
    public static IEnumerable<Command> UserCommands() =>
    [
        Change("deactivate", "Lock a user out and revoke their keypairs (their folders and sessions stay)", (c, e, ct) => c.DeactivateUserAsync(e, ct)),
        Change("activate", "Let a deactivated user log in again", (c, e, ct) => c.ActivateUserAsync(e, ct)),
        Change("delete", "Delete a user who owns no folders or sessions (else deactivate them)", (c, e, ct) => c.DeleteUserAsync(e, ct)),
        SetRole(),
        ResetPassword(),
    ];

    private static Command SetRole()
    {
        var email = new Argument<string>("email") { Description = "The user (only one of lower rank than you)" };
        var role = new Argument<string>("role") { Description = "user, admin or superadmin (at most what you may grant)" };
        var json = LoginCommands.JsonOption();
        var command = new Command("set-role", "Give a user another role (their keypairs are revoked; the role applies at their next login)") { email, role, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var user = await context.Client.ChangeUserRoleAsync(r.GetValue(email)!, r.GetValue(role)!, ct);
            if (r.GetValue(json)) Output.WriteJson(user);
            else Output.Done($"{user.Email} is now a {user.Role}.");
        });
        return command;
    }

    private static Command ResetPassword()
    {
        var email = new Argument<string>("email") { Description = "The user (only one of lower rank than you)" };
        var password = new Option<string>("--password", "-p") { Description = "The new password (prompted for when omitted)" };
        var json = LoginCommands.JsonOption();
        var command = new Command("reset-password", "Set a new password for a user and revoke all their keypairs") { email, password, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var secret = r.GetValue(password) ?? LoginCommands.Prompt("New password for the user:", secret: true)
                ?? throw new CliException("give --password (no terminal to ask on)", BerthCli.ExitUsage);
            var result = await context.Client.ResetUserPasswordAsync(r.GetValue(email)!, secret, ct);
            if (r.GetValue(json)) Output.WriteJson(result);
            else Output.Done($"{result.Email}: password reset; {result.RevokedKeyPairs} keypair(s) revoked.");
        });
        return command;
    }

    private static Command Change(string name, string description, Func<Client.BerthClient, string, CancellationToken, Task<UserChangeResponse>> call)
    {
        var email = new Argument<string>("email") { Description = "The user (only one of lower rank than you)" };
        var json = LoginCommands.JsonOption();
        var command = new Command(name, description) { email, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var result = await call(context.Client, r.GetValue(email)!, ct);
            if (r.GetValue(json)) Output.WriteJson(result);
            else Output.Done(result.RevokedKeyPairs > 0
                ? $"{result.Email}: {result.Outcome}; {result.RevokedKeyPairs} keypair(s) revoked."
                : $"{result.Email}: {result.Outcome}.");
        });
        return command;
    }

    public static Command Audit()
    {
        var since = new Option<string>("--since") { Description = "Only events since this: a time (2026-12-01T10:00Z) or an age (30m, 2h, 7d)" };
        var action = new Option<string>("--action") { Description = "Only this action (login.failed) or family (login)" };
        var user = new Option<string>("--user") { Description = "Only events of this email (or the email a failed login tried) or user id" };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first", DefaultValueFactory = _ => 100 };
        var json = LoginCommands.JsonOption();
        var command = new Command("audit", "Security events: logins, lockouts, refused signatures, revocations, refused on-behalf launches")
            { since, action, user, limit, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var from = r.GetValue(since) is { } text ? ParseSince(text) : (DateTimeOffset?)null;
            var events = await context.Client.ListAuditAsync(from, r.GetValue(action), r.GetValue(user), r.GetValue(limit), ct);
            if (r.GetValue(json)) { Output.WriteJson(events); return; }
            var table = Output.Table("When", "Who", "Action", "Outcome", "Target", "From", "Detail");
            foreach (var e in events)
                table.AddRow(e.At.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                    e.Email ?? "-", e.Action, e.Outcome, e.Target ?? "", e.ClientAddress ?? "", e.Detail ?? "");
            Output.Write(table);
        });
        return command;
    }

    internal static DateTimeOffset ParseSince(string text)
    {
        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            return at;
        if (text.Length > 1 && double.TryParse(text[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            var age = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => (TimeSpan?)null,
            };
            if (age is { } a) return DateTimeOffset.UtcNow - a;
        }
        throw new CliException($"--since: '{text}' is neither a time nor an age like 30m, 2h or 7d", BerthCli.ExitUsage);
    }
}
