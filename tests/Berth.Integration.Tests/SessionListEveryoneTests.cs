using System.Net;
using Berth.Client;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;

namespace Berth.Integration.Tests;

/// <summary>
/// GET /api/sessions?everyone=true: the web console's admin view. An admin sees the sessions of the users they
/// outrank, with owners; a plain user is refused (403 naming the rule), never shown anyone else's sessions.
/// </summary>
[Collection(BerthCollection.Name)]
public class SessionListEveryoneTests(BerthFixture berth)
{
    [Fact]
    public async Task Admins_list_everyones_sessions_and_plain_users_are_refused()
    {
        var (ownerEmail, ownerCli) = await berth.NewUserAsync("every");
        var (_, otherCli) = await berth.NewUserAsync("nosy");
        using var owner = berth.ClientFor(ownerCli);
        using var other = berth.ClientFor(otherCli);
        using var admin = berth.ClientFor(berth.Admin);
        var name = BerthFixture.UniqueName("every");
        var created = await owner.CreateSessionAsync(new CreateSessionRequest("minimal", name));
        try
        {
            var everyone = await admin.ListSessionsAsync(all: true, everyone: true);
            var seen = Assert.Single(everyone, s => s.Id == created.Id);
            Assert.Equal(ownerEmail, seen.Owner);
            // Without the flag the admin's own list stays their own.
            Assert.DoesNotContain(await admin.ListSessionsAsync(all: true), s => s.Id == created.Id);

            var refused = await Assert.ThrowsAsync<BerthApiException>(() => other.ListSessionsAsync(all: true, everyone: true));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("admin", refused.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(await other.ListSessionsAsync(all: true), s => s.Id == created.Id);
        }
        finally
        {
            await owner.DestroySessionAsync(created.Id.ToString());
        }
    }
}
