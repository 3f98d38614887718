using System.CommandLine;
using System.Globalization;
using Berth.Client;
using Berth.Core.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth session history [rename|pin|unpin|delete]</c>: the launches the manager remembers for you.</summary>
internal static class SessionHistoryCommands
{
    public static Command Build()
    {
        var json = LoginCommands.JsonOption();
        var command = new Command("history", "List your recent launches (pinned first, then the five most recent)") { json };
        command.SetHandler(async (r, context, ct) =>
        {
            var entries = await context.Client.ListLaunchHistoryAsync(ct);
            if (r.GetValue(json)) { Output.WriteJson(entries); return; }
            var table = Output.Table("#", "Id", "Title", "Pinned", "Launched", "Session", "Image", "Type");
            var row = 0;
            foreach (var e in entries)
                table.AddRow((++row).ToString(CultureInfo.InvariantCulture), e.Id.ToString(), e.Title ?? "", Output.YesNo(e.Pinned),
                    Output.Time(e.LaunchedAt), e.SessionName, e.Request.Image ?? "", e.Request.Type ?? "interactive");
            Output.Write(table);
        });
        foreach (var c in new[] { Rename(), Pin("pin", true), Pin("unpin", false), Delete() })
            command.Subcommands.Add(c);
        return command;
    }

    private static Argument<string> EntryArgument() =>
        new("entry") { Description = "The entry's id, or its row number (#) in `berth session history`" };

    private static Command Rename()
    {
        var entry = EntryArgument();
        var title = new Argument<string>("title") { Description = "The new title (1–64 characters; \"\" clears it)" };
        var json = LoginCommands.JsonOption();
        var command = new Command("rename", "Give a remembered launch a title") { entry, title, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var id = await ResolveAsync(context.Client, r.GetValue(entry)!, ct);
            var e = await context.Client.RenameLaunchHistoryAsync(id, r.GetValue(title) ?? "", ct);
            if (r.GetValue(json)) { Output.WriteJson(e); return; }
            Output.Done(e.Title is null ? $"Cleared the title of {e.Id}." : $"Renamed {e.Id} to {e.Title}.");
        });
        return command;
    }

    private static Command Pin(string name, bool pinned)
    {
        var entry = EntryArgument();
        var json = LoginCommands.JsonOption();
        var command = new Command(name, pinned ? "Keep a launch beyond the five most recent" : "Let a pinned launch age out again") { entry, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var id = await ResolveAsync(context.Client, r.GetValue(entry)!, ct);
            var e = await context.Client.PinLaunchHistoryAsync(id, pinned, ct);
            if (r.GetValue(json)) { Output.WriteJson(e); return; }
            Output.Done($"{(pinned ? "Pinned" : "Unpinned")} {e.Id}.");
        });
        return command;
    }

    private static Command Delete()
    {
        var entry = EntryArgument();
        var command = new Command("delete", "Forget a remembered launch") { entry };
        command.SetHandler(async (r, context, ct) =>
        {
            var id = await ResolveAsync(context.Client, r.GetValue(entry)!, ct);
            await context.Client.DeleteLaunchHistoryAsync(id, ct);
            Output.Done($"Deleted {id}.");
        });
        return command;
    }

    /// <summary>Row numbers are what a person reads off the table; ids are what scripts keep.</summary>
    private static async Task<Guid> ResolveAsync(BerthClient client, string entry, CancellationToken ct)
    {
        if (Guid.TryParse(entry, out var id)) return id;
        if (int.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out var row) && row >= 1)
        {
            var entries = await client.ListLaunchHistoryAsync(ct);
            if (row <= entries.Count) return entries[row - 1].Id;
            throw new CliException($"There is no row {row}; `berth session history` lists {entries.Count}.", BerthCli.ExitUsage);
        }
        throw new CliException($"'{entry}' is neither a history id nor a row number.", BerthCli.ExitUsage);
    }
}
