using System.Text.Json;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;

namespace Berth.Integration.Tests;

/// <summary>
/// The storage API speaks plain tus 1.0 and RFC 9110, so clients Berth did not write work against it:
/// tus-js-client (npm), curl, wget and aria2c (Debian), run against the real server
/// (scripts/lib.sh ensure_transfer_clients installs them).
/// </summary>
[Collection(BerthCollection.Name)]
public class ThirdPartyClientTests(BerthFixture berth) : IAsyncLifetime
{
    private string _work = null!;
    private string _folder = null!;
    private Berth.Client.BerthClient _client = null!;

    public async Task InitializeAsync()
    {
        _work = Directory.CreateTempSubdirectory("berth-3p-").FullName;
        var (_, cli) = await berth.NewUserAsync("thirdparty");
        _folder = BerthFixture.UniqueName("tp");
        Succeeded(await cli.RunAsync("vfolder", "create", _folder));
        _client = berth.ClientFor(cli);
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        BerthFixture.TryDelete(_work);
        return Task.CompletedTask;
    }

    private Uri Url(Uri endpoint, string ticketUrl) => new(endpoint, ticketUrl);

    private async Task<(string Url, string Token, string Local)> UploadedFileAsync(string name, long size, Uri? endpoint = null)
    {
        var local = RandomFile(_work, name, size);
        await _client.UploadFileAsync(_folder, local, name);
        var ticket = await _client.CreateDownloadTicketAsync(_folder, name);
        return (Url(endpoint ?? berth.Server.Endpoint, ticket.Url).ToString(), ticket.Token, local);
    }

    [Fact]
    public async Task Tus_js_client_finishes_without_resending_when_the_last_answer_is_lost()
    {
        ThirdPartyTools.RequireNodeModules();
        const long size = 3 * 1024 * 1024 + 17;
        var local = RandomFile(_work, "tus.bin", size);
        var ticket = await _client.CreateUploadTicketAsync(_folder, "tus.bin", size);
        await using var relay = new TcpRelay(berth.Server.Endpoint);
        relay.LoseFinalPatchAnswer(size);

        var run = await ThirdPartyTools.RunInAsync(ThirdPartyTools.ScriptsDirectory, "node", "tus-upload.mjs",
            Url(relay.Endpoint, ticket.Url).ToString(), ticket.Token, local, (1024 * 1024).ToString());

        Assert.True(run.ExitCode == 0, $"tus-js-client failed: {run}");
        Assert.True(relay.Dropped.IsCompleted, "the relay never saw the final PATCH's answer");
        using var result = JsonDocument.Parse(run.Stdout);
        Assert.True(result.RootElement.GetProperty("retries").GetInt32() >= 1, run.Stdout);
        // After the lost answer the client asks HEAD, hears offset == length and stops: the file went up once.
        Assert.True(relay.BytesToServer < size + 256 * 1024, $"{relay.BytesToServer} bytes sent for a {size}-byte file: it was sent again");
        var down = Path.Combine(_work, "tus-down.bin");
        await _client.DownloadAsync(_folder, "tus.bin", down);
        Assert.Equal(Sha256(local), Sha256(down));
    }

    [Fact]
    public async Task Curl_head_and_ranges_follow_rfc_9110()
    {
        var (url, token, local) = await UploadedFileAsync("curl.bin", 1000);
        var auth = $"Authorization: Bearer {token}";
        var bytes = await File.ReadAllBytesAsync(local);

        var head = await Curl("-I", "-H", auth, url);
        Assert.Matches(@"^HTTP/1\.1 200", head.Stdout);
        Assert.Contains("content-length: 1000", head.Stdout.ToLowerInvariant());
        Assert.Contains("accept-ranges: bytes", head.Stdout.ToLowerInvariant());

        // An unknown unit is ignored: the whole file with 200.
        var items = Path.Combine(_work, "items.bin");
        var ignored = await Curl("-H", auth, "-H", "Range: items=0-5", "-o", items, "-w", "%{http_code}", url);
        Assert.Equal("200", ignored.Stdout);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(items));

        var suffix = Path.Combine(_work, "suffix.bin");
        var partial = await Curl("-H", auth, "-r", "-5", "-o", suffix, "-w", "%{http_code}", url);
        Assert.Equal("206", partial.Stdout);
        Assert.Equal(bytes[^5..], await File.ReadAllBytesAsync(suffix));

        var unsatisfiable = await Curl("-H", auth, "-r", "5000-", "-D", "-", "-o", "/dev/null", url);
        Assert.Matches(@"^HTTP/1\.1 416", unsatisfiable.Stdout);
        Assert.Contains("content-range: bytes */1000", unsatisfiable.Stdout.ToLowerInvariant());

        // A directory: HEAD describes the archive (no length: it is built as it streams) and builds nothing.
        var dirTicket = await _client.CreateDownloadTicketAsync(_folder, ".");
        var dirHead = await Curl("-I", "-H", $"Authorization: Bearer {dirTicket.Token}", Url(berth.Server.Endpoint, dirTicket.Url).ToString());
        Assert.Matches(@"^HTTP/1\.1 200", dirHead.Stdout);
        Assert.Contains("content-type: application/x-tar", dirHead.Stdout.ToLowerInvariant());
        Assert.DoesNotContain("content-length", dirHead.Stdout.ToLowerInvariant());
    }

    [Fact]
    public async Task Wget_spider_finds_a_download_url()
    {
        var (url, token, _) = await UploadedFileAsync("spider.bin", 4096);
        var run = await ThirdPartyTools.RunAsync("wget", "--spider", "--server-response", "--header", $"Authorization: Bearer {token}", url);
        Assert.True(run.ExitCode == 0, $"wget --spider said the file is missing: {run}");
        Assert.Contains("200", run.Stderr);
        // A browser-style ?token= link works the same way.
        var query = await ThirdPartyTools.RunAsync("wget", "--spider", url + "?token=" + Uri.EscapeDataString(token));
        Assert.True(query.ExitCode == 0, query.ToString());
    }

    [Fact]
    public async Task Aria2c_downloads_over_four_connections_intact()
    {
        await using var relay = new TcpRelay(berth.Server.Endpoint);
        var (url, token, local) = await UploadedFileAsync("aria.bin", 8 * 1024 * 1024 + 3, relay.Endpoint);
        var dest = Path.Combine(_work, "aria");
        var run = await ThirdPartyTools.RunAsync("aria2c", "-x4", "-s4", "--min-split-size=1M", "--file-allocation=none",
            "--summary-interval=0", "--console-log-level=warn", "--allow-overwrite=true",
            "--header", $"Authorization: Bearer {token}", "-d", dest, "-o", "aria.bin", url);
        Assert.True(run.ExitCode == 0, $"aria2c failed: {run}");
        Assert.Equal(Sha256(local), Sha256(Path.Combine(dest, "aria.bin")));
        Assert.True(relay.Connections >= 4, $"aria2c used {relay.Connections} connections");
    }

    private static async Task<CliResult> Curl(params string[] args)
    {
        var run = await ThirdPartyTools.RunAsync("curl", ["-sS", .. args]);
        Assert.True(run.ExitCode == 0, $"curl failed: {run}");
        return run;
    }
}
