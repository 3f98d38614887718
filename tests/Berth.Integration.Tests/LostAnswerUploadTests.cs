using Berth.Client;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;

namespace Berth.Integration.Tests;

/// <summary>
/// An upload whose last PATCH reached the server but whose answer never came back is complete: the
/// client hears so from HEAD (offset == length) and neither fails nor sends the file again.
/// </summary>
[Collection(BerthCollection.Name)]
public class LostAnswerUploadTests(BerthFixture berth) : IAsyncLifetime
{
    private const long Size = 3 * 1024 * 1024 + 5;
    private string _work = null!;

    public Task InitializeAsync()
    {
        _work = Directory.CreateTempSubdirectory("berth-lost-").FullName;
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        BerthFixture.TryDelete(_work);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_cli_reports_success_when_the_final_answer_is_lost()
    {
        var (_, direct) = await berth.NewUserAsync("lost");
        var folder = BerthFixture.UniqueName("lost");
        Succeeded(await direct.RunAsync("vfolder", "create", folder));
        await using var relay = new TcpRelay(berth.Server.Endpoint);
        var cli = new CliRunner(relay.Endpoint);
        File.Copy(Path.Combine(direct.ConfigDirectory, "config.json"), Path.Combine(cli.ConfigDirectory, "config.json"));
        var file = RandomFile(_work, "final.bin", Size);
        relay.LoseFinalPatchAnswer(Size);

        var upload = await cli.RunAsync("vfolder", "upload", folder, file);

        Assert.True(relay.Dropped.IsCompleted, "the relay never saw the final PATCH's answer");
        Succeeded(upload);
        Assert.DoesNotContain("start over", upload.Stderr);
        Assert.True(relay.BytesToServer < Size + 256 * 1024, $"{relay.BytesToServer} bytes sent for a {Size}-byte file: it was sent again");
        var down = Path.Combine(_work, "down");
        Directory.CreateDirectory(down);
        Succeeded(await direct.RunAsync("vfolder", "download", folder, "final.bin", "--dest", down));
        Assert.Equal(Sha256(file), Sha256(Path.Combine(down, "final.bin")));
    }

    [Fact]
    public async Task A_rerun_after_a_lost_final_answer_finishes_without_resending()
    {
        var (_, cli) = await berth.NewUserAsync("rerun");
        var folder = BerthFixture.UniqueName("rerun");
        Succeeded(await cli.RunAsync("vfolder", "create", folder));
        var file = RandomFile(_work, "again.bin", Size);
        var resume = new FileUploadResumeStore(Path.Combine(_work, "uploads.json"));
        await using var relay = new TcpRelay(berth.Server.Endpoint);
        relay.LoseFinalPatchAnswer(Size);

        // The first run gives up at once (no retries), as a client killed right after sending would.
        using (var first = BerthFixture.ClientFor(relay.Endpoint, cli))
        {
            first.TransferRetries = 0;
            var e = await Assert.ThrowsAsync<BerthApiException>(() => first.UploadFileAsync(folder, file, "again.bin", resumeStore: resume));
            Assert.True(e.IsNetworkError, e.ToString());
        }
        Assert.True(relay.Dropped.IsCompleted);
        var sentBefore = relay.BytesToServer;

        using (var second = BerthFixture.ClientFor(relay.Endpoint, cli))
        {
            var result = await second.UploadFileAsync(folder, file, "again.bin", resumeStore: resume);
            Assert.Equal(Size, result.ResumedFrom); // the stored upload was already complete
        }
        Assert.True(relay.BytesToServer - sentBefore < 64 * 1024, $"the re-run sent {relay.BytesToServer - sentBefore} bytes");
        Assert.DoesNotContain("again.bin", File.ReadAllText(resume.FilePath)); // finished: nothing left to resume
        var down = Path.Combine(_work, "again-down.bin");
        using (var client = berth.ClientFor(cli)) await client.DownloadAsync(folder, "again.bin", down);
        Assert.Equal(Sha256(file), Sha256(down));
    }
}
