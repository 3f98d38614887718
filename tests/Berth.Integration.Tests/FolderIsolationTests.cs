using System.Net;
using System.Text.Json;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;

namespace Berth.Integration.Tests;

/// <summary>Acceptance 3: user1 can neither list, read, write nor delete anything of user2's folder.</summary>
[Collection(BerthCollection.Name)]
public class FolderIsolationTests(BerthFixture berth)
{
    [Fact]
    public async Task Another_users_folder_is_invisible_and_untouchable()
    {
        var (_, user1) = await berth.NewUserAsync("user1");
        var (_, user2) = await berth.NewUserAsync("user2");
        var work = Directory.CreateTempSubdirectory().FullName;
        var folder = BerthFixture.UniqueName("user2-vfolder");
        Succeeded(await user2.RunAsync("vfolder", "create", folder));
        var secret = Path.Combine(work, "test_file");
        await File.WriteAllTextAsync(secret, "file inside user2-vfolder");
        Succeeded(await user2.RunAsync("vfolder", "upload", folder, secret));

        var list = Json(await user1.RunAsync("vfolder", "list", "--json"));
        Assert.DoesNotContain(list.EnumerateArray(), f => f.GetProperty("name").GetString() == folder);

        string[][] attempts =
        [
            ["vfolder", "info", folder],
            ["vfolder", "ls", folder],
            ["vfolder", "download", folder, "test_file", "--dest", work],
            ["vfolder", "upload", folder, secret, "--dest", "intruder"],
            ["vfolder", "mkdir", folder, "intruder"],
            ["vfolder", "mv", folder, "test_file", "stolen"],
            ["vfolder", "rm", folder, "test_file"],
            ["vfolder", "rename", folder, folder + "-mine"],
            ["vfolder", "delete", folder],
            ["vfolder", "clone", folder, folder + "-copy"],
        ];
        foreach (var args in attempts)
        {
            var result = await user1.RunAsync(args);
            FailedWith(result, "folder-not-found");
            Assert.Contains(folder, result.Stderr);
        }

        // Still intact for its owner.
        var listing = Json(await user2.RunAsync("vfolder", "ls", folder, "--json"));
        Assert.Equal(["test_file"], listing.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToArray());
    }

    [Fact]
    public async Task A_read_only_share_allows_reading_only()
    {
        var (_, owner) = await berth.NewUserAsync("owner");
        var (readerEmail, reader) = await berth.NewUserAsync("reader");
        var work = Directory.CreateTempSubdirectory().FullName;
        var folder = BerthFixture.UniqueName("shared");
        Succeeded(await owner.RunAsync("vfolder", "create", folder));
        var file = RandomFile(work, "data.bin", 4096);
        Succeeded(await owner.RunAsync("vfolder", "upload", folder, file));
        Succeeded(await owner.RunAsync("vfolder", "share", folder, readerEmail, "--permission", "ro"));

        Assert.Equal("ro", Json(await reader.RunAsync("vfolder", "info", folder, "--json")).GetProperty("permission").GetString());
        var down = Directory.CreateTempSubdirectory().FullName;
        Succeeded(await reader.RunAsync("vfolder", "download", folder, "data.bin", "--dest", down));
        Assert.Equal(Sha256(file), Sha256(Path.Combine(down, "data.bin")));
        FailedWith(await reader.RunAsync("vfolder", "upload", folder, file, "--dest", "again"), "permission-denied");
        FailedWith(await reader.RunAsync("vfolder", "rm", folder, "data.bin"), "permission-denied");
        FailedWith(await reader.RunAsync("vfolder", "delete", folder), "owner-only");

        Succeeded(await owner.RunAsync("vfolder", "unshare", folder, readerEmail));
        FailedWith(await reader.RunAsync("vfolder", "ls", folder), "folder-not-found");
    }

    [Fact]
    public async Task Unauthenticated_and_forged_requests_get_problem_json()
    {
        using var http = new HttpClient { BaseAddress = berth.Server.Endpoint };
        var response = await http.GetAsync("/api/vfolders");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("not-authenticated", body.RootElement.GetProperty("rule").GetString());

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/vfolders");
        forged.Headers.TryAddWithoutValidation("Authorization", "Berth-HMAC-SHA256 AKnope:c2lnbmF0dXJl");
        forged.Headers.TryAddWithoutValidation("X-Berth-Date", DateTimeOffset.UtcNow.ToString("o"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged)).StatusCode);

        var health = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains(berth.DatabaseProvider, await health.Content.ReadAsStringAsync());
        var openApi = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.Contains("/api/vfolders", await openApi.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Login_failures_are_clear_and_credentials_are_private()
    {
        var cli = new CliRunner(berth.Server.Endpoint);
        FailedWith(await cli.RunAsync("login", "--endpoint", berth.Server.Endpoint.ToString(), "--email", ServerProcess.AdminEmail, "--password", "wrong-password"), "login-failed");
        var (_, user) = await berth.NewUserAsync("cfg");
        var config = Directory.GetFiles(user.ConfigDirectory).Single(f => f.EndsWith(".json") && !f.Contains("upload"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
        FailedWith(await user.RunAsync("admin", "user", "list"), "admin-only");
        Succeeded(await user.RunAsync("logout"));
        Assert.NotEqual(0, (await user.RunAsync("vfolder", "list")).ExitCode);
    }
}
