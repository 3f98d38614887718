using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;

namespace Berth.Integration.Tests;

/// <summary>
/// Issue 10, acceptance 4: a storage ticket is worth only the access its holder still has. Unsharing the folder
/// and logging out end tickets already handed out within a minute (the storage re-checks access on use).
/// </summary>
[Collection(BerthCollection.Name)]
public class TicketRevocationTests(BerthFixture berth)
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Unsharing_ends_the_download_and_upload_tickets_of_the_former_sharee()
    {
        var (_, bob) = await berth.NewUserAsync("bob");
        var (aliceEmail, alice) = await berth.NewUserAsync("alice");
        var folder = await FolderWithFileAsync(bob);
        Succeeded(await bob.RunAsync("vfolder", "share", folder, aliceEmail, "--permission", "rw"));

        using var sdk = berth.ClientFor(alice);
        var download = await sdk.CreateDownloadTicketAsync(folder, "data.txt");
        var archive = await sdk.CreateDownloadTicketAsync(folder, ".");
        var upload = await sdk.CreateUploadTicketAsync(folder, "from-alice.txt", 5);
        Assert.True(download.ExpiresAt - DateTimeOffset.UtcNow <= TimeSpan.FromMinutes(15), $"tickets are short-lived, this one until {download.ExpiresAt:O}");

        using var http = new HttpClient();
        // While shared, the tickets work: so a refusal below is the unshare's doing.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, download)).StatusCode);

        Succeeded(await bob.RunAsync("vfolder", "unshare", folder, aliceEmail));
        var (status, rule, took) = await RefusedWithinAsync(() => GetAsync(http, download));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("ticket-access-revoked", rule);
        Assert.True(took < Within, $"refused only after {took}");

        Assert.Equal("ticket-access-revoked", await RuleOfAsync(await GetAsync(http, archive)));
        Assert.Equal("ticket-access-revoked", await RuleOfAsync(await CreateUploadAsync(http, upload)));

        // Nothing of alice's reached the folder.
        var listing = Json(await bob.RunAsync("vfolder", "ls", folder, "--json"));
        Assert.Equal(["data.txt"], listing.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToArray());
    }

    [Fact]
    public async Task Logging_out_ends_the_tickets_of_that_keypair()
    {
        var (_, carol) = await berth.NewUserAsync("carol");
        var folder = await FolderWithFileAsync(carol);
        using var sdk = berth.ClientFor(carol);
        var download = await sdk.CreateDownloadTicketAsync(folder, "data.txt");
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, download)).StatusCode);

        Succeeded(await carol.RunAsync("logout"));
        var (status, rule, took) = await RefusedWithinAsync(() => GetAsync(http, download));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("ticket-revoked", rule);
        Assert.True(took < Within, $"refused only after {took}");
    }

    [Fact]
    public async Task Revoking_the_keypair_ends_its_tickets()
    {
        var (email, dave) = await berth.NewUserAsync("dave");
        var folder = await FolderWithFileAsync(dave);
        using var sdk = berth.ClientFor(dave);
        var download = await sdk.CreateDownloadTicketAsync(folder, "data.txt");
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, download)).StatusCode);

        // From a second login, dave revokes the keypair the tickets were issued to.
        var current = Json(await dave.RunAsync("keypair", "list", "--json")).EnumerateArray()
            .Single(k => k.GetProperty("isCurrent").GetBoolean()).GetProperty("accessKey").GetString()!;
        var other = await berth.LoginAsync(email, "violet-otter-quietly");
        Succeeded(await other.RunAsync("keypair", "revoke", current));
        var (status, rule, took) = await RefusedWithinAsync(() => GetAsync(http, download));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("ticket-revoked", rule);
        Assert.True(took < Within, $"refused only after {took}");
    }

    [Fact]
    public async Task Deleting_the_user_ends_their_tickets()
    {
        // erin owns nothing (users who own folders are deactivated, not deleted); frank shares one with her.
        var (_, frank) = await berth.NewUserAsync("frank");
        var (email, erin) = await berth.NewUserAsync("erin");
        var folder = await FolderWithFileAsync(frank);
        Succeeded(await frank.RunAsync("vfolder", "share", folder, email, "--permission", "rw"));
        using var sdk = berth.ClientFor(erin);
        var download = await sdk.CreateDownloadTicketAsync(folder, "data.txt");
        var upload = await sdk.CreateUploadTicketAsync(folder, "late.txt", 5);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, download)).StatusCode);

        Succeeded(await berth.Admin.RunAsync("admin", "user", "delete", email));
        var (status, rule, took) = await RefusedWithinAsync(() => GetAsync(http, download));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("ticket-revoked", rule);
        Assert.True(took < Within, $"refused only after {took}");
        Assert.Equal("ticket-revoked", await RuleOfAsync(await CreateUploadAsync(http, upload)));
    }

    private static async Task<string> FolderWithFileAsync(CliRunner owner)
    {
        var folder = BerthFixture.UniqueName("tickets");
        Succeeded(await owner.RunAsync("vfolder", "create", folder));
        var work = Directory.CreateTempSubdirectory().FullName;
        var file = Path.Combine(work, "data.txt");
        await File.WriteAllTextAsync(file, "ticket data");
        Succeeded(await owner.RunAsync("vfolder", "upload", folder, file));
        BerthFixture.TryDelete(work);
        return folder;
    }

    private Task<HttpResponseMessage> GetAsync(HttpClient http, TransferTicketDto ticket)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(berth.Server.Endpoint, ticket.Url));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ticket.Token);
        return http.SendAsync(request);
    }

    private Task<HttpResponseMessage> CreateUploadAsync(HttpClient http, TransferTicketDto ticket)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(berth.Server.Endpoint, ticket.Url));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ticket.Token);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Length", "5");
        request.Content = new ByteArrayContent([]);
        return http.SendAsync(request);
    }

    /// <summary>Repeats the request until it is refused (bounded by a minute and a half), and says how long that took.</summary>
    private static async Task<(HttpStatusCode Status, string? Rule, TimeSpan Took)> RefusedWithinAsync(Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await send();
            if (!response.IsSuccessStatusCode) return (response.StatusCode, await RuleOfAsync(response), clock.Elapsed);
            if (clock.Elapsed > Within + TimeSpan.FromSeconds(30)) return (response.StatusCode, null, clock.Elapsed);
            await Task.Delay(250);
        }
    }

    private static async Task<string?> RuleOfAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        try { return JsonDocument.Parse(body).RootElement.TryGetProperty("rule", out var r) ? r.GetString() : null; }
        catch (JsonException) { return null; }
    }
}
