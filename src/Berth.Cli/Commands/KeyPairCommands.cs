using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth keypair list|revoke</c> and <c>berth passwd</c>: the signed-in user's own credentials.</summary>
internal static class KeyPairCommands
{
    public static IEnumerable<Command> All() => [KeyPair(), Passwd()];

    private static Command KeyPair()
    {
        var keypair = new Command("keypair", "Your API keypairs: one per login, each expiring on its own");

        var json = LoginCommands.JsonOption();
        var list = new Command("list", "List your keypairs that still work (never their secrets)") { json };
        list.SetHandler(async (r, context, ct) =>
        {
            var keys = await context.Client.ListKeyPairsAsync(ct);
            if (r.GetValue(json)) { Output.WriteJson(keys); return; }
            var table = Output.Table("", "Access key", "Created", "From", "Expires", "Last used");
            foreach (var k in keys)
                table.AddRow(k.IsCurrent ? "*" : "", k.AccessKey, Output.Time(k.CreatedAt), k.CreatedFrom ?? "-", Output.Time(k.ExpiresAt),
                    k.LastUsedAt is { } used ? Output.Time(used) : "never");
            Output.Write(table);
            Output.Note("* the keypair this CLI signs with");
        });
        keypair.Subcommands.Add(list);

        var accessKey = new Argument<string>("access-key") { Description = "The keypair to revoke (see `berth keypair list`)" };
        var revoke = new Command("revoke", "Revoke one of your keypairs now: whoever holds it can no longer sign requests") { accessKey };
        revoke.SetHandler(async (r, context, ct) =>
        {
            var key = r.GetValue(accessKey)!;
            await context.Client.RevokeKeyPairAsync(key, ct);
            if (key == context.Config.AccessKey)
            {
                var config = context.Config;
                config.AccessKey = config.SecretKey = null;
                context.Store.Save(config);
                Output.Done($"Revoked {key}, the keypair this CLI signed with; run `berth login` to sign in again.");
            }
            else Output.Done($"Revoked {key}.");
        });
        keypair.Subcommands.Add(revoke);
        return keypair;
    }

    private static Command Passwd()
    {
        var currentStdin = new Option<bool>("--current-password-stdin") { Description = "Read the current password from the first line of stdin" };
        var newStdin = new Option<bool>("--new-password-stdin") { Description = "Read the new password from the next line of stdin" };
        var json = LoginCommands.JsonOption();
        var command = new Command("passwd", "Change your password (asks for the current and the new one); your other keypairs are revoked")
            { currentStdin, newStdin, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var current = r.GetValue(currentStdin) ? ReadLine("current") : LoginCommands.Prompt("Current password:", secret: true);
            if (current is null) throw new CliException("give --current-password-stdin (no terminal to ask on)", BerthCli.ExitUsage);
            string? next;
            if (r.GetValue(newStdin)) next = ReadLine("new");
            else
            {
                next = LoginCommands.Prompt("New password:", secret: true);
                if (next is not null && LoginCommands.Prompt("New password again:", secret: true) != next)
                    throw new CliException("the two new passwords differ; nothing was changed", BerthCli.ExitUsage);
            }
            if (next is null) throw new CliException("give --new-password-stdin (no terminal to ask on)", BerthCli.ExitUsage);
            var result = await context.Client.ChangePasswordAsync(current, next, ct);
            if (r.GetValue(json)) Output.WriteJson(result);
            else Output.Done($"Password changed; {result.RevokedKeyPairs} other keypair(s) revoked, this one still works.");
        });
        return command;
    }

    private static string ReadLine(string which) =>
        Console.In.ReadLine() is { Length: > 0 } line ? line.TrimEnd('\r')
            : throw new CliException($"expected the {which} password on a line of stdin", BerthCli.ExitUsage);
}
