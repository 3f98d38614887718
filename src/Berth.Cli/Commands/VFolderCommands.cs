using System.CommandLine;
using System.CommandLine.Parsing;
using Berth.Core.Contracts;
using Berth.Core.Units;

namespace Berth.Cli.Commands;

/// <summary><c>berth vfolder ...</c>: folder lifecycle and sharing. File operations are in <see cref="VFolderFileCommands"/>.</summary>
internal static class VFolderCommands
{
    public static Command Build()
    {
        var vfolder = new Command("vfolder", "Manage storage folders and their files");
        foreach (var c in new[] { ListHosts(), Create(), List(), Info(), Rename(), Delete(), Recover(), Purge(), Clone(), Share(), Unshare(), ListShares() })
            vfolder.Subcommands.Add(c);
        foreach (var c in VFolderFileCommands.All()) vfolder.Subcommands.Add(c);
        return vfolder;
    }

    internal static Argument<string> FolderArgument() => new("name") { Description = "The folder's name or id" };

    internal static Option<string> UsageModeOption()
    {
        var o = new Option<string>("--usage-mode") { Description = "general, model or data" };
        o.AcceptOnlyFromAmong("general", "model", "data");
        return o;
    }

    internal static Option<string> PermissionOption(string description = "ro, rw or wd (read-only, read-write, read-write-delete)")
    {
        var o = new Option<string>("--permission") { Description = description };
        o.AcceptOnlyFromAmong("ro", "rw", "wd");
        return o;
    }

    private static Command ListHosts()
    {
        var json = LoginCommands.JsonOption();
        var command = new Command("list-hosts", "List the storage hosts folders can live on") { json };
        command.SetHandler(async (r, context, ct) =>
        {
            var hosts = await context.Client.ListStorageHostsAsync(ct);
            if (r.GetValue(json)) { Output.WriteJson(hosts); return; }
            var table = Output.Table("Host", "Default", "Total", "Free", "Used");
            foreach (var h in hosts)
                table.AddRow(h.Name, h.IsDefault ? "*" : "", Output.Size(h.TotalBytes), Output.Size(h.FreeBytes),
                    h.TotalBytes > 0 ? $"{(h.TotalBytes - h.FreeBytes) * 100 / h.TotalBytes}%" : "-");
            Output.Write(table);
        });
        return command;
    }

    private static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The new folder's name (a leading '.' makes it auto-mount into sessions)" };
        var host = new Option<string>("--host") { Description = "Storage host (default: the default host)" };
        var usage = UsageModeOption();
        var permission = PermissionOption();
        var project = new Option<string>("--project") { Description = "Create a project folder owned by this project" };
        var cloneable = new Option<bool>("--cloneable") { Description = "Allow others to clone it" };
        var quota = new Option<long?>("--quota")
        {
            Description = "Size limit, e.g. 512m, 10g, 1.5TiB",
            CustomParser = ParseSize,
        };
        var json = LoginCommands.JsonOption();
        var key = IdempotencyOption.Create();
        var command = new Command("create", "Create a folder") { name, host, usage, permission, project, cloneable, quota, json, key };
        command.SetHandler(async (r, context, ct) =>
        {
            var created = await context.Client.CreateVFolderAsync(new CreateVFolderRequest(
                r.GetValue(name), r.GetValue(host), r.GetValue(usage), r.GetValue(permission), r.GetValue(project),
                r.GetValue(cloneable), r.GetValue(quota)), r.GetValue(key), ct);
            if (r.GetValue(json)) Output.WriteJson(created);
            else Output.Done($"Created folder {created.Name} on {created.Host} ({created.Id}).");
        });
        return command;
    }

    internal static long? ParseSize(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (ByteSize.TryParse(text, out var bytes)) return bytes;
        result.AddError($"'{text}' is not a size; write e.g. 512m, 10g or 1.5TiB");
        return null;
    }

    private static Command List()
    {
        var json = LoginCommands.JsonOption();
        var command = new Command("list", "List the folders you can use") { json };
        command.SetHandler(async (r, context, ct) =>
        {
            var folders = await context.Client.ListVFoldersAsync(ct);
            if (r.GetValue(json)) { Output.WriteJson(folders); return; }
            var table = Output.Table("Name", "Host", "Usage", "Perm", "Owner", "Status", "Quota", "Auto-mount");
            foreach (var f in folders.OrderBy(f => f.Name, StringComparer.Ordinal))
                table.AddRow(f.Name, f.Host, f.UsageMode, f.Permission,
                    f.Ownership == "project" ? $"{f.Owner} (project)" : f.Owner,
                    f.Status, Output.Size(f.QuotaBytes), f.IsAutoMount ? "yes" : "");
            Output.Write(table);
        });
        return command;
    }

    private static Command Info()
    {
        var folder = FolderArgument();
        var json = LoginCommands.JsonOption();
        var command = new Command("info", "Show a folder's details, size and file count") { folder, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var f = await context.Client.GetVFolderAsync(r.GetValue(folder)!, ct);
            if (r.GetValue(json)) { Output.WriteJson(f); return; }
            var used = f is { QuotaBytes: > 0, SizeBytes: { } size } ? $" ({size * 100 / f.QuotaBytes.Value}% of quota)" : "";
            Output.WriteDetails([
                ("Name", f.Name),
                ("Id", f.Id.ToString()),
                ("Status", f.Status),
                ("Owner", $"{f.Owner} ({f.Ownership}{(f.IsOwner ? ", you" : "")})"),
                ("Host", f.Host),
                ("Usage mode", f.UsageMode),
                ("Permission", f.Permission),
                ("Size", Output.Size(f.SizeBytes) + used),
                ("Files", f.FileCount?.ToString() ?? "-"),
                ("Quota", f.QuotaBytes is null ? "none" : Output.Size(f.QuotaBytes)),
                ("Cloneable", Output.YesNo(f.Cloneable)),
                ("Auto-mount", Output.YesNo(f.IsAutoMount)),
                ("Created", Output.Time(f.CreatedAt)),
            ]);
        });
        return command;
    }

    private static Command Rename()
    {
        var folder = FolderArgument();
        var newName = new Argument<string>("new-name") { Description = "The new name" };
        var command = new Command("rename", "Rename a folder") { folder, newName };
        command.SetHandler(async (r, context, ct) =>
        {
            var f = await context.Client.RenameVFolderAsync(r.GetValue(folder)!, r.GetValue(newName)!, ct);
            Output.Done($"Renamed {r.GetValue(folder)} to {f.Name}.");
        });
        return command;
    }

    private static Command Delete()
    {
        var folder = FolderArgument();
        var command = new Command("delete", "Move a folder to the trash (undo with recover; erase with purge)") { folder };
        command.SetHandler(async (r, context, ct) =>
        {
            var f = await context.Client.DeleteVFolderAsync(r.GetValue(folder)!, ct);
            Output.Done($"Moved {f.Name} to the trash ({f.Status}). `berth vfolder recover {f.Name}` brings it back.");
        });
        return command;
    }

    private static Command Recover()
    {
        var folder = FolderArgument();
        var command = new Command("recover", "Bring a folder back from the trash") { folder };
        command.SetHandler(async (r, context, ct) =>
        {
            var f = await context.Client.RecoverVFolderAsync(r.GetValue(folder)!, ct);
            Output.Done($"Recovered {f.Name} ({f.Status}).");
        });
        return command;
    }

    private static Command Purge()
    {
        var folder = FolderArgument();
        var command = new Command("purge", "Erase a folder in the trash, with its files, for good") { folder };
        command.SetHandler(async (r, context, ct) =>
        {
            await context.Client.PurgeVFolderAsync(r.GetValue(folder)!, ct);
            Output.Done($"Purged {r.GetValue(folder)}.");
        });
        return command;
    }

    private static Command Clone()
    {
        var folder = FolderArgument();
        var target = new Argument<string>("target") { Description = "The new folder's name" };
        var host = new Option<string>("--host") { Description = "Storage host for the copy" };
        var usage = UsageModeOption();
        var permission = PermissionOption();
        var json = LoginCommands.JsonOption();
        var command = new Command("clone", "Copy a cloneable folder into a new one (runs in the background)") { folder, target, host, usage, permission, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var f = await context.Client.CloneVFolderAsync(r.GetValue(folder)!,
                new CloneVFolderRequest(r.GetValue(target), r.GetValue(host), r.GetValue(usage), r.GetValue(permission)), ct);
            if (r.GetValue(json)) Output.WriteJson(f);
            else Output.Done($"Cloning {r.GetValue(folder)} into {f.Name} ({f.Status}); `berth vfolder info {f.Name}` shows when it is ready.");
        });
        return command;
    }

    private static Command Share()
    {
        var folder = FolderArgument();
        var email = new Argument<string>("email") { Description = "The user to share with" };
        var permission = PermissionOption("What they may do: ro, rw or wd (default: the server's, read-only)");
        var command = new Command("share", "Share a folder with a user") { folder, email, permission };
        command.SetHandler(async (r, context, ct) =>
        {
            var s = await context.Client.ShareVFolderAsync(r.GetValue(folder)!, r.GetValue(email)!, r.GetValue(permission), ct);
            Output.Done($"Shared {r.GetValue(folder)} with {s.Email} ({s.Permission}).");
        });
        return command;
    }

    private static Command Unshare()
    {
        var folder = FolderArgument();
        var email = new Argument<string>("email") { Description = "The user to stop sharing with" };
        var command = new Command("unshare", "Stop sharing a folder with a user") { folder, email };
        command.SetHandler(async (r, context, ct) =>
        {
            await context.Client.UnshareVFolderAsync(r.GetValue(folder)!, r.GetValue(email)!, ct);
            Output.Done($"Stopped sharing {r.GetValue(folder)} with {r.GetValue(email)}.");
        });
        return command;
    }

    private static Command ListShares()
    {
        var folder = FolderArgument();
        var json = LoginCommands.JsonOption();
        var command = new Command("list-shares", "List who a folder is shared with") { folder, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var shares = await context.Client.ListSharesAsync(r.GetValue(folder)!, ct);
            if (r.GetValue(json)) { Output.WriteJson(shares); return; }
            var table = Output.Table("Email", "Permission");
            foreach (var s in shares) table.AddRow(s.Email, s.Permission);
            Output.Write(table);
        });
        return command;
    }
}
