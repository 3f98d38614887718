using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;

namespace Berth.Integration.Tests;

/// <summary>Acceptance 4 through the user's own interface: no file operation leaves the folder.</summary>
[Collection(BerthCollection.Name)]
public class PathEscapeTests(BerthFixture berth)
{
    private static readonly string[] EscapeRules = ["path-escapes-folder", "path-absolute", "symlink-not-followed"];

    private static void Refused(CliResult result)
    {
        Assert.True(result.ExitCode != 0, $"escape was not refused: {result}");
        Assert.Contains(EscapeRules, rule => result.Stderr.Contains(rule));
    }

    [Fact]
    public async Task Dot_dot_absolute_and_planted_symlinks_are_refused_for_every_operation()
    {
        var (_, cli) = await berth.NewUserAsync("escape");
        var folder = BerthFixture.UniqueName("esc");
        Succeeded(await cli.RunAsync("vfolder", "create", folder));
        var id = Json(await cli.RunAsync("vfolder", "info", folder, "--json")).GetProperty("id").GetGuid();
        var folderDir = Path.Combine(berth.Server.DataDirectory, "volumes", "local", id.ToString("N"));

        // What a session could do: plant links to a place outside the folder.
        var outside = Directory.CreateTempSubdirectory("outside-").FullName;
        var secret = Path.Combine(outside, "secret.txt");
        await File.WriteAllTextAsync(secret, "do not touch");
        File.CreateSymbolicLink(Path.Combine(folderDir, "out"), outside);
        File.CreateSymbolicLink(Path.Combine(folderDir, "root"), "/");
        File.CreateSymbolicLink(Path.Combine(folderDir, "secret-link"), secret);

        var work = Directory.CreateTempSubdirectory().FullName;
        var local = Path.Combine(work, "payload.txt");
        await File.WriteAllTextAsync(local, "payload");

        string[] badPaths = ["../x", "a/../../x", "/etc/passwd", "out/secret.txt", "root/etc/passwd", "out/new"];
        foreach (var p in badPaths)
        {
            Refused(await cli.RunAsync("vfolder", "ls", folder, p));
            Refused(await cli.RunAsync("vfolder", "mkdir", folder, p, "-p"));
            Refused(await cli.RunAsync("vfolder", "download", folder, p, "--dest", work));
            Refused(await cli.RunAsync("vfolder", "rm", folder, p, "-r"));
            Refused(await cli.RunAsync("vfolder", "mv", folder, p, "moved"));
            Refused(await cli.RunAsync("vfolder", "mv", folder, "secret-link", p));
            Refused(await cli.RunAsync("vfolder", "upload", folder, local, "--dest", p));
        }
        // Reading through a link to a file outside is refused too.
        Refused(await cli.RunAsync("vfolder", "download", folder, "secret-link", "--dest", work));

        Assert.Equal("do not touch", await File.ReadAllTextAsync(secret));
        Assert.Equal(["secret.txt"], Directory.GetFileSystemEntries(outside).Select(p => Path.GetFileName(p)!).ToArray());
        Assert.False(File.Exists(Path.Combine(work, "secret.txt")));
        Assert.False(File.Exists(Path.Combine(work, "passwd")));

        // Links are listed as links, and removing one removes the link, never its target.
        var listing = Json(await cli.RunAsync("vfolder", "ls", folder, "--json"));
        Assert.Contains(listing.EnumerateArray(), e => e.GetProperty("name").GetString() == "out" && e.GetProperty("kind").GetString() == "symlink");
        Succeeded(await cli.RunAsync("vfolder", "rm", folder, "out"));
        Assert.True(File.Exists(secret));
        Assert.False(Path.Exists(Path.Combine(folderDir, "out")));
    }
}
