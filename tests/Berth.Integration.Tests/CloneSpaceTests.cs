using System.Diagnostics;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;

namespace Berth.Integration.Tests;

/// <summary>
/// Clones cost what their source really takes on disk: a 1 GiB sparse file stays sparse, and a clone
/// whose source holds more than the quota it would inherit is refused before anything is copied.
/// The files are made directly in the folder's directory (as a session writing to its mount would),
/// which the test can reach because it knows the server's data directory.
/// </summary>
[Collection(BerthCollection.Name)]
public class CloneSpaceTests(BerthFixture berth)
{
    private const long GiB = 1L << 30;

    private async Task<string> FolderDirAsync(CliRunner cli, string folder)
    {
        var id = Json(await cli.RunAsync("vfolder", "info", folder, "--json")).GetProperty("id").GetGuid();
        return Path.Combine(berth.Server.DataDirectory, "volumes", "local", id.ToString("N"));
    }

    [Fact]
    public async Task A_clone_of_a_folder_with_a_1_GiB_sparse_file_uses_no_more_disk_than_the_source()
    {
        var (_, cli) = await berth.NewUserAsync("sparse");
        var source = BerthFixture.UniqueName("sparse");
        // The quota is far below the file's length: only allocated bytes count.
        Succeeded(await cli.RunAsync("vfolder", "create", source, "--cloneable", "--quota", "64m"));
        var sourceDir = await FolderDirAsync(cli, source);
        using (var file = File.Create(Path.Combine(sourceDir, "disk.img"))) file.SetLength(GiB);
        File.WriteAllText(Path.Combine(sourceDir, "notes.txt"), "real bytes");
        Assert.True(DiskUsed(sourceDir) < 1024 * 1024, $"the source itself is not sparse here ({DiskUsed(sourceDir)} bytes)");

        var target = source + "-copy";
        Succeeded(await cli.RunAsync("vfolder", "clone", source, target));
        Assert.Equal("ready", await WaitForCloneAsync(cli, target));

        var targetDir = await FolderDirAsync(cli, target);
        Assert.Equal(GiB, new FileInfo(Path.Combine(targetDir, "disk.img")).Length);
        Assert.Equal("real bytes", File.ReadAllText(Path.Combine(targetDir, "notes.txt")));
        Assert.True(DiskUsed(targetDir) <= DiskUsed(sourceDir), $"clone uses {DiskUsed(targetDir)} bytes, source {DiskUsed(sourceDir)}");
    }

    [Fact]
    public async Task The_quota_refuses_a_clone_that_would_not_fit()
    {
        var (_, cli) = await berth.NewUserAsync("full");
        var source = BerthFixture.UniqueName("full");
        Succeeded(await cli.RunAsync("vfolder", "create", source, "--cloneable", "--quota", "1m"));
        // A session can write past the quota (it is checked on uploads, not on writes to a mount).
        RandomFile(await FolderDirAsync(cli, source), "filled.bin", 3 * 1024 * 1024);

        var target = source + "-copy";
        var refused = FailedWith(await cli.RunAsync("vfolder", "clone", source, target), "quota-exceeded");
        Assert.Contains("quota", refused.Stderr);
        var names = Json(await cli.RunAsync("vfolder", "list", "--json")).EnumerateArray().Select(f => f.GetProperty("name").GetString());
        Assert.DoesNotContain(target, names);
    }

    private static async Task<string> WaitForCloneAsync(CliRunner cli, string folder)
    {
        var status = "";
        for (var i = 0; i < 150 && status is "" or "cloning"; i++)
        {
            status = Json(await cli.RunAsync("vfolder", "info", folder, "--json")).GetProperty("status").GetString()!;
            if (status == "cloning") await Task.Delay(200);
        }
        return status;
    }

    /// <summary>What `du` says the directory takes, in bytes.</summary>
    private static long DiskUsed(string dir)
    {
        var psi = new ProcessStartInfo("du", ["-s", "-B1", dir]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var du = Process.Start(psi)!;
        var output = du.StandardOutput.ReadToEnd();
        du.WaitForExit();
        Assert.Equal(0, du.ExitCode);
        return long.Parse(output.Split('\t')[0]);
    }
}
