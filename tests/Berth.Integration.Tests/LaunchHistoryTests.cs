using System.Net;
using Berth.Client;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;

namespace Berth.Integration.Tests;

/// <summary>Issue 12 "recent history": the manager keeps each user's last five launches, renamable and pinnable, without secrets.</summary>
[Collection(BerthCollection.Name)]
public class LaunchHistoryTests(BerthFixture berth)
{
    private static async Task<SessionDto> LaunchAsync(BerthClient client, string name, IReadOnlyDictionary<string, string>? env = null)
    {
        var session = await client.CreateSessionAsync(new CreateSessionRequest("minimal", Name: name, Environment: env,
            Resources: new ResourceRequestDto(Cpu: 0.25, MemoryBytes: 64L << 20)));
        // The history is about the request; the container itself is not needed, and ending it keeps the test's footprint small.
        await client.DestroySessionAsync(session.Name);
        return session;
    }

    [Fact]
    public async Task Five_recent_launches_are_kept_pinned_ones_beyond_and_secret_values_never()
    {
        var (_, cli) = await berth.NewUserAsync("hist");
        using var client = berth.ClientFor(cli);

        var first = BerthFixture.UniqueName("hist");
        await LaunchAsync(client, first, new Dictionary<string, string> { ["HF_TOKEN"] = "hf_very-secret", ["EPOCHS"] = "3" });
        var entries = await client.ListLaunchHistoryAsync();
        var entry = Assert.Single(entries);
        Assert.Equal(first, entry.SessionName);
        Assert.Equal("minimal", entry.Request.Image);
        Assert.Equal(first, entry.Request.Name);
        Assert.Equal("3", entry.Request.Environment!["EPOCHS"]);
        Assert.False(entry.Request.Environment.ContainsKey("HF_TOKEN"));
        Assert.Equal(["HF_TOKEN"], entry.OmittedEnvironment);
        var raw = Succeeded(await cli.RunAsync("session", "history", "--json")).Stdout;
        Assert.DoesNotContain("hf_very-secret", raw);

        // Rename and pin through the CLI, by row number and by id.
        Succeeded(await cli.RunAsync("session", "history", "rename", "1", "fine-tune baseline"));
        Succeeded(await cli.RunAsync("session", "history", "pin", entry.Id.ToString()));
        var table = Succeeded(await cli.RunAsync("session", "history")).Stdout;
        Assert.Contains("fine-tune baseline", table);

        // Six more launches: the pinned one stays, the unpinned ones are cut to the five most recent.
        var later = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            later.Add(BerthFixture.UniqueName("hist"));
            await LaunchAsync(client, later[^1]);
        }
        var json = Json(Succeeded(await cli.RunAsync("session", "history", "--json")));
        var names = json.EnumerateArray().Select(e => e.GetProperty("sessionName").GetString()).ToList();
        Assert.Equal([first, .. later.Skip(1).Reverse()], names);
        var pinned = json.EnumerateArray().First();
        Assert.True(pinned.GetProperty("pinned").GetBoolean());
        Assert.Equal("fine-tune baseline", pinned.GetProperty("title").GetString());

        // The entry's request launches again as it is (the history is meant to refill a launcher).
        var again = (await client.ListLaunchHistoryAsync())[1].Request with { Name = BerthFixture.UniqueName("again") };
        var relaunched = await client.CreateSessionAsync(again);
        await client.DestroySessionAsync(relaunched.Name);

        // Delete forgets an entry; unpin lets it age out with the rest.
        Succeeded(await cli.RunAsync("session", "history", "unpin", "1"));
        var afterUnpin = await client.ListLaunchHistoryAsync();
        Assert.Equal(5, afterUnpin.Count);
        Assert.All(afterUnpin, e => Assert.False(e.Pinned));
        Succeeded(await cli.RunAsync("session", "history", "delete", afterUnpin[0].Id.ToString()));
        Assert.DoesNotContain(await client.ListLaunchHistoryAsync(), e => e.Id == afterUnpin[0].Id);
    }

    [Fact]
    public async Task History_is_private_and_bad_updates_are_refused_with_field_and_rule()
    {
        var (_, ownerCli) = await berth.NewUserAsync("histown");
        var (_, otherCli) = await berth.NewUserAsync("histother");
        using var owner = berth.ClientFor(ownerCli);
        using var other = berth.ClientFor(otherCli);
        await LaunchAsync(owner, BerthFixture.UniqueName("mine"));
        var entry = Assert.Single(await owner.ListLaunchHistoryAsync());

        Assert.Empty(await other.ListLaunchHistoryAsync());
        await Refused(() => other.PinLaunchHistoryAsync(entry.Id, true), HttpStatusCode.NotFound, "id", "history-entry-not-found");
        await Refused(() => other.DeleteLaunchHistoryAsync(entry.Id), HttpStatusCode.NotFound, "id", "history-entry-not-found");
        await Refused(() => owner.RenameLaunchHistoryAsync(entry.Id, new string('t', 65)), HttpStatusCode.BadRequest, "title", "title-too-long");
        await Refused(() => owner.RenameLaunchHistoryAsync(entry.Id, "   "), HttpStatusCode.BadRequest, "title", "title-blank");
        await Refused(() => owner.UpdateLaunchHistoryAsync(entry.Id, new UpdateLaunchHistoryRequest()), HttpStatusCode.BadRequest, "title", "nothing-to-change");
        FailedWith(await ownerCli.RunAsync("session", "history", "pin", "7"), "no row 7");

        // A refused launch is not remembered.
        await Assert.ThrowsAsync<BerthApiException>(() => owner.CreateSessionAsync(new CreateSessionRequest("minimal", Name: "x")));
        Assert.Single(await owner.ListLaunchHistoryAsync());

        // Clearing a title.
        Assert.Equal("kept", (await owner.RenameLaunchHistoryAsync(entry.Id, "kept")).Title);
        Assert.Null((await owner.RenameLaunchHistoryAsync(entry.Id, "")).Title);
    }

    private static async Task Refused(Func<Task> call, HttpStatusCode status, string field, string rule)
    {
        var e = await Assert.ThrowsAsync<BerthApiException>(call);
        Assert.Equal(status, e.StatusCode);
        Assert.Equal(rule, e.Rule);
        Assert.Equal(field, e.Field);
    }
}
