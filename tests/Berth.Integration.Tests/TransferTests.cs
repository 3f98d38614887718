using System.Formats.Tar;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;

namespace Berth.Integration.Tests;

[Collection(BerthCollection.Name)]
public class TransferTests(BerthFixture berth)
{
    /// <summary>Acceptance 2: a 2 GiB file goes up and comes back intact while the server stays small.</summary>
    [Fact]
    public async Task Large_file_round_trips_with_the_server_under_300_MB()
    {
        var megabytes = int.TryParse(Environment.GetEnvironmentVariable("BERTH_TEST_BIG_FILE_MB"), out var mb) ? mb : 2048;
        var (_, user2) = await berth.NewUserAsync("user2");
        var folder = BerthFixture.UniqueName("user2-vfolder");
        Succeeded(await user2.RunAsync("vfolder", "create", folder));
        var work = Directory.CreateTempSubdirectory("berth-big-").FullName;
        try
        {
            var big = RandomFile(work, "big.bin", megabytes * 1024L * 1024);
            var upload = Succeeded(await user2.RunAsync("vfolder", "upload", folder, big));
            Assert.Contains("big.bin", upload.Stderr + upload.Stdout);
            var down = Path.Combine(work, "down");
            Directory.CreateDirectory(down);
            Succeeded(await user2.RunAsync("vfolder", "download", folder, "big.bin", "--dest", down));
            Assert.Equal(Sha256(big), Sha256(Path.Combine(down, "big.bin")));

            var peak = berth.Server.PeakResidentBytes();
            Assert.True(peak < 300L * 1024 * 1024, $"server peak RSS {peak / 1048576} MiB");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Acceptance 5: a killed client leaves nothing under the final name; re-running resumes.</summary>
    [Fact]
    public async Task Killed_upload_leaves_nothing_and_resumes()
    {
        var (_, cli) = await berth.NewUserAsync("resume");
        var folder = BerthFixture.UniqueName("resume");
        Succeeded(await cli.RunAsync("vfolder", "create", folder));
        var id = Json(await cli.RunAsync("vfolder", "info", folder, "--json")).GetProperty("id").GetGuid().ToString("N");
        var work = Directory.CreateTempSubdirectory("berth-resume-").FullName;
        var file = RandomFile(work, "dataset.bin", 768L * 1024 * 1024);
        var staging = Path.Combine(berth.Server.DataDirectory, "volumes", "local", ".berth-staging");

        var process = cli.Start("vfolder", "upload", folder, file);
        var stagedBytes = 0L;
        for (var i = 0; i < 600 && stagedBytes < 16 * 1024 * 1024 && !process.HasExited; i++)
        {
            await Task.Delay(20);
            stagedBytes = OurParts(staging, id).Select(p => new FileInfo(p).Length).DefaultIfEmpty(0).Max();
        }
        Assert.False(process.HasExited, "the upload finished before it could be interrupted; make the file bigger");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        var names = Json(await cli.RunAsync("vfolder", "ls", folder, "--json")).EnumerateArray().Select(e => e.GetProperty("name").GetString());
        Assert.DoesNotContain("dataset.bin", names);
        var part = Assert.Single(OurParts(staging, id));
        var offsetAfterKill = new FileInfo(part).Length;
        Assert.True(offsetAfterKill > 0);

        var rerun = Succeeded(await cli.RunAsync("vfolder", "upload", folder, file));
        Assert.Contains("resum", (rerun.Stderr + rerun.Stdout).ToLowerInvariant());
        Assert.Empty(OurParts(staging, id));
        var down = Path.Combine(work, "down");
        Directory.CreateDirectory(down);
        Succeeded(await cli.RunAsync("vfolder", "download", folder, "dataset.bin", "--dest", down));
        Assert.Equal(Sha256(file), Sha256(Path.Combine(down, "dataset.bin")));
        Directory.Delete(work, recursive: true);
    }

    /// <summary>Staging uploads that belong to this test's folder (their sidecar names the folder id).</summary>
    private static List<string> OurParts(string staging, string folderId) =>
        !Directory.Exists(staging)
            ? []
            : Directory.GetFiles(staging, "*.part")
                .Where(p => File.Exists(Path.ChangeExtension(p, ".json")) && File.ReadAllText(Path.ChangeExtension(p, ".json")).Replace("-", "").Contains(folderId))
                .ToList();

    [Fact]
    public async Task Files_can_be_organised_and_directories_download_as_archives()
    {
        var (_, cli) = await berth.NewUserAsync("files");
        var folder = BerthFixture.UniqueName("files");
        var work = Directory.CreateTempSubdirectory().FullName;
        Succeeded(await cli.RunAsync("vfolder", "create", folder));
        Succeeded(await cli.RunAsync("vfolder", "mkdir", folder, "a/b/c", "-p"));
        FailedWith(await cli.RunAsync("vfolder", "mkdir", folder, "x/y"), "not-found");
        var one = RandomFile(work, "one.bin", 1000);
        var two = RandomFile(work, "two.bin", 2000);
        Succeeded(await cli.RunAsync("vfolder", "upload", folder, one, two, "--dest", "a/b"));
        Succeeded(await cli.RunAsync("vfolder", "mv", folder, "a/b/two.bin", "a/two-moved.bin"));

        var listing = Json(await cli.RunAsync("vfolder", "ls", folder, "a", "--json")).EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("kind").GetString());
        Assert.Equal("directory", listing["b"]);
        Assert.Equal("file", listing["two-moved.bin"]);
        Assert.Contains("two-moved.bin", Succeeded(await cli.RunAsync("vfolder", "ls", folder, "a")).Stdout);

        var down = Directory.CreateTempSubdirectory().FullName;
        Succeeded(await cli.RunAsync("vfolder", "download", folder, "a", "--dest", down));
        var archive = Directory.GetFiles(down, "*.tar").Single();
        var entries = new List<string>();
        await using (var stream = File.OpenRead(archive))
        {
            var reader = new TarReader(stream);
            while (await reader.GetNextEntryAsync() is { } entry) entries.Add(entry.Name.TrimEnd('/'));
        }
        Assert.Contains(entries, e => e.EndsWith("b/one.bin"));
        Assert.Contains(entries, e => e.EndsWith("two-moved.bin"));

        FailedWith(await cli.RunAsync("vfolder", "rm", folder, "a"), "directory-not-empty");
        Succeeded(await cli.RunAsync("vfolder", "rm", folder, "a", "-r"));
        Assert.Empty(Json(await cli.RunAsync("vfolder", "ls", folder, "--json")).EnumerateArray());
    }
}
