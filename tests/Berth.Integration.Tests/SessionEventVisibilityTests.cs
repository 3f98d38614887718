using Berth.Client;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;

namespace Berth.Integration.Tests;

/// <summary>
/// /api/events follows the same rule as every other read of another user's session: an admin sees the events of
/// the users they outrank and never those of an equal or a superadmin; a plain user only their own.
/// </summary>
[Collection(BerthCollection.Name)]
public class SessionEventVisibilityTests(BerthFixture berth)
{
    [Fact]
    public async Task An_admin_gets_events_of_users_below_and_not_of_a_superadmin()
    {
        const string password = "violet-otter-quietly";
        var adminEmail = BerthFixture.UniqueName("evadmin") + "@berth.test";
        using var superadmin = berth.ClientFor(berth.Admin);
        await superadmin.CreateUserAsync(new CreateUserRequest(adminEmail, password, "admin"));
        using var admin = new BerthClient(berth.Server.Endpoint);
        await admin.LoginAsync(adminEmail, password);
        var (_, userCli) = await berth.NewUserAsync("evuser");
        using var user = berth.ClientFor(userCli);

        await using var adminStream = await admin.OpenEventStreamAsync();
        await using var userStream = await user.OpenEventStreamAsync();
        // The superadmin's session first: the hub keeps order, so once the user's event has arrived, an event of the
        // superadmin's that was going to arrive would have arrived before it.
        var above = await superadmin.CreateSessionAsync(new CreateSessionRequest("minimal", BerthFixture.UniqueName("evabove")));
        var below = await user.CreateSessionAsync(new CreateSessionRequest("minimal", BerthFixture.UniqueName("evbelow")));
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var adminSaw = new List<SessionEventDto>();
            await foreach (var e in adminStream.ReadAllAsync(deadline.Token))
            {
                adminSaw.Add(e);
                if (e.SessionId == below.Id) break;
            }
            Assert.Contains(adminSaw, e => e.SessionId == below.Id);
            Assert.DoesNotContain(adminSaw, e => e.SessionId == above.Id);

            var userSaw = new List<SessionEventDto>();
            await foreach (var e in userStream.ReadAllAsync(deadline.Token))
            {
                userSaw.Add(e);
                if (e.SessionId == below.Id) break;
            }
            Assert.DoesNotContain(userSaw, e => e.SessionId == above.Id);
        }
        finally
        {
            await superadmin.DestroySessionAsync(above.Id.ToString());
            await user.DestroySessionAsync(below.Id.ToString());
        }
    }
}
