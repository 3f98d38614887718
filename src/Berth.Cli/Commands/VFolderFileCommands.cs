using System.CommandLine;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary><c>berth vfolder ls|mkdir|upload|download|mv|rm</c>: files inside a folder.</summary>
internal static class VFolderFileCommands
{
    public static IEnumerable<Command> All() => [Ls(), Mkdir(), Upload(), Download(), Move(), Remove()];

    private static Command Ls()
    {
        var folder = VFolderCommands.FolderArgument();
        var path = new Argument<string>("path") { Description = "Directory inside the folder (default: its root)", Arity = ArgumentArity.ZeroOrOne };
        var json = LoginCommands.JsonOption();
        var command = new Command("ls", "List a directory inside a folder") { folder, path, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var entries = await context.Client.ListFilesAsync(r.GetValue(folder)!, r.GetValue(path), ct);
            if (r.GetValue(json)) { Output.WriteJson(entries); return; }
            var table = Output.Table("Name", "Size", "Modified", "Mode");
            foreach (var e in entries.OrderBy(e => e.Kind == "directory" ? 0 : 1).ThenBy(e => e.Name, StringComparer.Ordinal))
            {
                var name = e.Kind switch
                {
                    "directory" => e.Name + "/",
                    "symlink" => e.LinkTarget is null ? e.Name + "@" : $"{e.Name} -> {e.LinkTarget}",
                    _ => e.Name,
                };
                table.AddRow(name, e.Kind == "directory" ? "-" : Output.Size(e.Size), Output.Time(e.Modified), ModeString(e.Kind, e.Mode));
            }
            Output.Write(table);
        });
        return command;
    }

    internal static string ModeString(string kind, int mode)
    {
        Span<char> s = stackalloc char[10];
        s[0] = kind switch { "directory" => 'd', "symlink" => 'l', _ => '-' };
        const string rwx = "rwxrwxrwx";
        for (var i = 0; i < 9; i++) s[i + 1] = (mode & (1 << (8 - i))) != 0 ? rwx[i] : '-';
        return new string(s);
    }

    private static Command Mkdir()
    {
        var folder = VFolderCommands.FolderArgument();
        var path = new Argument<string>("path") { Description = "Directory to create inside the folder" };
        var parents = new Option<bool>("--parents", "-p") { Description = "Create missing parents too, and do not fail if it exists" };
        var command = new Command("mkdir", "Create a directory inside a folder") { folder, path, parents };
        command.SetHandler(async (r, context, ct) =>
        {
            await context.Client.MkdirAsync(r.GetValue(folder)!, r.GetValue(path)!, r.GetValue(parents), ct);
            Output.Done($"Created {r.GetValue(path)}.");
        });
        return command;
    }

    private static Command Move()
    {
        var folder = VFolderCommands.FolderArgument();
        var source = new Argument<string>("source") { Description = "File or directory to move" };
        var destination = new Argument<string>("destination") { Description = "New path" };
        var command = new Command("mv", "Move or rename a file or directory inside a folder") { folder, source, destination };
        command.SetHandler(async (r, context, ct) =>
        {
            await context.Client.MoveFileAsync(r.GetValue(folder)!, r.GetValue(source)!, r.GetValue(destination)!, ct);
            Output.Done($"Moved {r.GetValue(source)} to {r.GetValue(destination)}.");
        });
        return command;
    }

    private static Command Remove()
    {
        var folder = VFolderCommands.FolderArgument();
        var paths = new Argument<string[]>("path") { Description = "Files (or, with -r, directories) to delete", Arity = ArgumentArity.OneOrMore };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Delete directories with their contents" };
        var command = new Command("rm", "Delete files or directories inside a folder") { folder, paths, recursive };
        command.SetHandler(async (r, context, ct) =>
        {
            var list = r.GetValue(paths)!;
            await context.Client.DeleteFilesAsync(r.GetValue(folder)!, list, r.GetValue(recursive), ct);
            Output.Done(list.Length == 1 ? $"Deleted {list[0]}." : $"Deleted {list.Length} paths.");
        });
        return command;
    }

    private static Command Upload()
    {
        var folder = VFolderCommands.FolderArgument();
        var files = new Argument<string[]>("file") { Description = "Local files (directories are uploaded with their contents)", Arity = ArgumentArity.OneOrMore };
        var dest = new Option<string>("--dest") { Description = "Directory inside the folder to upload into (default: its root)" };
        var command = new Command("upload", "Upload files into a folder; an interrupted upload resumes when run again") { folder, files, dest };
        command.SetHandler(async (r, context, ct) =>
        {
            var destDir = NormalizeRemoteDir(r.GetValue(dest));
            var plan = PlanUpload(r.GetValue(files)!, destDir);
            var client = context.Client;
            var folderName = r.GetValue(folder)!;
            // One lookup for the id serves every file (and keys the resume entries).
            var folderRef = (await client.ResolveVFolderIdAsync(folderName, ct))?.ToString() ?? folderName;

            foreach (var dir in plan.RemoteDirectories)
                await client.MkdirAsync(folderRef, dir, parents: true, ct);

            var store = context.ResumeStore;
            var results = new List<UploadResult>();
            await Interruptible(() => TransferView.RunAsync(async progressFor =>
            {
                foreach (var (local, remote) in plan.Files)
                    results.Add(await client.UploadFileAsync(folderRef, local, remote, progressFor(remote), store, ct));
            }));
            foreach (var u in results)
                Output.Done($"Uploaded {u.DestPath} ({Output.Size(u.Bytes)}{(u.ResumedFrom > 0 ? $", resumed at {Output.Size(u.ResumedFrom)}" : "")}).");
        });
        return command;
    }

    private static Command Download()
    {
        var folder = VFolderCommands.FolderArgument();
        var paths = new Argument<string[]>("path") { Description = "Files or directories (fetched as .tar) inside the folder", Arity = ArgumentArity.OneOrMore };
        var dest = new Option<string>("--dest") { Description = "Local directory to write into (default: the current directory)" };
        var command = new Command("download", "Download files from a folder; an interrupted download resumes when run again") { folder, paths, dest };
        command.SetHandler(async (r, context, ct) =>
        {
            var destDir = r.GetValue(dest) ?? ".";
            if (File.Exists(destDir)) throw new CliException($"--dest {destDir} is a file; give a directory");
            Directory.CreateDirectory(destDir);
            var client = context.Client;
            var folderName = r.GetValue(folder)!;
            var folderRef = (await client.ResolveVFolderIdAsync(folderName, ct))?.ToString() ?? folderName;

            var results = new List<DownloadResult>();
            await Interruptible(() => TransferView.RunAsync(async progressFor =>
            {
                foreach (var path in r.GetValue(paths)!)
                    results.Add(await client.DownloadToDirectoryAsync(folderRef, path, destDir, progressFor(path), ct));
            }));
            foreach (var d in results)
                Output.Done($"Downloaded {d.LocalPath} ({Output.Size(d.Bytes)}{(d.IsArchive ? ", tar archive" : "")}{(d.ResumedFrom > 0 ? $", resumed at {Output.Size(d.ResumedFrom)}" : "")}).");
        });
        return command;
    }

    private static async Task Interruptible(Func<Task> transfer)
    {
        try
        {
            await transfer();
        }
        catch (OperationCanceledException)
        {
            Output.Note("interrupted: run the same command again to continue where it stopped");
            throw;
        }
    }

    internal sealed record UploadPlan(IReadOnlyList<(string Local, string Remote)> Files, IReadOnlyList<string> RemoteDirectories);

    /// <summary>Where each local file lands: <c>dest/basename</c>, and for a directory <c>dest/dirname/relative/path</c>.</summary>
    internal static UploadPlan PlanUpload(IEnumerable<string> locals, string destDir)
    {
        var files = new List<(string, string)>();
        var dirs = new SortedSet<string>(StringComparer.Ordinal);
        if (destDir.Length > 0) dirs.Add(destDir);
        foreach (var local in locals)
        {
            if (File.Exists(local))
            {
                files.Add((local, JoinRemote(destDir, Path.GetFileName(local))));
            }
            else if (Directory.Exists(local))
            {
                var full = Path.GetFullPath(local).TrimEnd(Path.DirectorySeparatorChar);
                var root = JoinRemote(destDir, Path.GetFileName(full));
                dirs.Add(root);
                foreach (var entry in Directory.EnumerateFileSystemEntries(full, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                             .Order(StringComparer.Ordinal))
                {
                    var relative = Path.GetRelativePath(full, entry).Replace(Path.DirectorySeparatorChar, '/');
                    if (Directory.Exists(entry)) dirs.Add(JoinRemote(root, relative));
                    else if (File.Exists(entry)) files.Add((entry, JoinRemote(root, relative)));
                }
            }
            else
            {
                throw new CliException($"no such file or directory: {local}");
            }
        }
        return new UploadPlan(files, dirs.ToList());
    }

    internal static string NormalizeRemoteDir(string? dir) => (dir ?? "").TrimEnd('/');

    internal static string JoinRemote(string dir, string name) => dir.Length == 0 ? name : dir + "/" + name;
}
