using System.CommandLine;
using Berth.Client;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth login</c>, <c>berth logout</c>, <c>berth whoami</c>.</summary>
internal static class LoginCommands
{
    public static IEnumerable<Command> All() => [Login(), Logout(), WhoAmI()];

    private static Command Login()
    {
        var endpoint = new Option<string>("--endpoint") { Description = $"The manager's URL (default: $BERTH_ENDPOINT, the saved one, or {CliConfigStore.DefaultEndpoint})" };
        var email = new Option<string>("--email", "-e") { Description = "Your email (prompted for when interactive)" };
        var password = new Option<string>("--password", "-p") { Description = "Your password (else $BERTH_PASSWORD, else prompted for without echo)" };
        var command = new Command("login", "Sign in and save an API keypair in the config directory") { endpoint, email, password };
        command.SetHandler(async (r, context, ct) =>
        {
            var url = CliConfigStore.ResolveEndpoint(context.Config, r.GetValue(endpoint));
            var uri = CliConfigStore.ParseEndpoint(url);
            var who = r.GetValue(email) ?? Prompt("Email:", secret: false)
                ?? throw new CliException("give --email (no terminal to ask on)", BerthCli.ExitUsage);
            var secret = r.GetValue(password) ?? NonEmpty(Environment.GetEnvironmentVariable("BERTH_PASSWORD"))
                ?? Prompt("Password:", secret: true)
                ?? throw new CliException("give --password or set BERTH_PASSWORD (no terminal to ask on)", BerthCli.ExitUsage);

            using var client = new BerthClient(uri);
            var login = await client.LoginAsync(who, secret, ct);

            var config = context.Config;
            config.Endpoint = url;
            config.AccessKey = login.AccessKey;
            config.SecretKey = login.SecretKey;
            config.Email = login.User.Email;
            context.Store.Save(config);
            Output.Done(login.ExpiresAt is { } expires
                ? $"Logged in to {url} as {login.User.Email} ({login.User.Role}); this keypair works until {Output.Time(expires)}."
                : $"Logged in to {url} as {login.User.Email} ({login.User.Role}).");
        });
        return command;
    }

    private static Command Logout()
    {
        var command = new Command("logout", "Revoke the saved keypair and forget it");
        command.SetHandler(async (_, context, ct) =>
        {
            if (context.Config.Keys is null)
            {
                Output.Done("Not logged in.");
                return;
            }
            try
            {
                await context.Client.LogoutAsync(ct);
            }
            catch (BerthApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                // Already revoked on the server; forgetting it here is all that is left.
            }
            catch (BerthApiException e) when (e.IsNetworkError)
            {
                Output.Note($"warning: could not revoke the keypair on the server ({e.Message}); forgetting it locally anyway");
            }
            var config = context.Config;
            var who = config.Email;
            config.AccessKey = config.SecretKey = null;
            context.Store.Save(config);
            Output.Done(who is null ? "Logged out." : $"Logged out {who}.");
        });
        return command;
    }

    private static Command WhoAmI()
    {
        var json = JsonOption();
        var command = new Command("whoami", "Show the signed-in user") { json };
        command.SetHandler(async (r, context, ct) =>
        {
            var me = await context.Client.GetCurrentUserAsync(ct);
            if (r.GetValue(json)) { Output.WriteJson(me); return; }
            Output.WriteDetails([
                ("Email", me.Email),
                ("Role", me.Role),
                ("Active", Output.YesNo(me.IsActive)),
                ("Projects", me.Projects.Count == 0 ? "-" : string.Join(", ", me.Projects)),
                ("Created", Output.Time(me.CreatedAt)),
                ("Endpoint", context.EndpointText),
                ("Id", me.Id.ToString()),
            ]);
        });
        return command;
    }

    internal static Option<bool> JsonOption() => new("--json") { Description = "Print JSON (the API's objects) instead of a table" };

    internal static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    /// <summary>Asks on the terminal; null when there is none (stdin redirected).</summary>
    internal static string? Prompt(string question, bool secret)
    {
        if (Console.IsInputRedirected) return null;
        var prompt = new TextPrompt<string>(question);
        if (secret) prompt = prompt.Secret();
        return Output.Stderr.Prompt(prompt);
    }
}
