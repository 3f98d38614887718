using Berth.Client;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using Npgsql;

namespace Berth.Integration.Tests;

/// <summary>
/// Issue 4 acceptance 6: two manager processes over one PostgreSQL database, 200 queued sessions.
/// Every session is scheduled exactly once and no agent ever holds more than its capacity, checked
/// afterwards from the recorded status history. PostgreSQL only: scripts/test runs it in the
/// PostgreSQL pass and leaves it out of the SQLite one.
/// </summary>
[Collection(BerthCollection.Name)]
[Trait("Category", "PostgresOnly")]
public class MultiManagerTests
{
    private const int Sessions = 200;
    private const int AgentCpu = 6;

    [Fact]
    public async Task Two_managers_schedule_each_session_once_and_never_overcommit()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        var settings = new Dictionary<string, string?>(database.Settings) { ["Agent:Cpu"] = AgentCpu.ToString(), ["Agent:MemoryBytes"] = (64L << 30).ToString(),
            // Both managers must decrypt the keypair secrets the other stored.
            ["Manager:KeyEncryptionKey"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) };
        var a = await ServerProcess.StartAsync(Directory.CreateTempSubdirectory("berth-mm-a-").FullName, settings);
        var b = await ServerProcess.StartAsync(Directory.CreateTempSubdirectory("berth-mm-b-").FullName, settings);
        try
        {
            using var anonymous = new BerthClient(a.Endpoint);
            var login = await anonymous.LoginAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            var keys = new ApiKeyPair(login.AccessKey, login.SecretKey);
            using var viaA = new BerthClient(a.Endpoint, keys);
            using var viaB = new BerthClient(b.Endpoint, keys);
            await viaA.ImportImageAsync(new ImportImageRequest(TestDocker.MinimalReference, "minimal"));

            // Half the requests reach each manager, all at once.
            var creates = Enumerable.Range(0, Sessions).Select(i => (i % 2 == 0 ? viaA : viaB).CreateSessionAsync(
                new CreateSessionRequest("minimal", $"mm-{i:000}", "batch", "sleep 0.2", Resources: new ResourceRequestDto(1, 64L << 20, 16L << 20))));
            await Task.WhenAll(creates);

            var deadline = DateTime.UtcNow.AddMinutes(8);
            IReadOnlyList<SessionDto> all;
            do
            {
                await Task.Delay(2000);
                all = await viaA.ListSessionsAsync(all: true);
            } while (all.Count(s => s.Status is "TERMINATED" or "CANCELLED") < Sessions && DateTime.UtcNow < deadline);
            Assert.Equal(Sessions, all.Count(s => s.Status == "TERMINATED"));
            Assert.All(all, s => Assert.Equal("success", s.Result));

            await using var conn = new NpgsqlConnection(database.Settings["Database:ConnectionString"]);
            await conn.OpenAsync();
            // Exactly one kernel and one SCHEDULED step per session.
            Assert.Equal(0L, await ScalarAsync(conn, "SELECT count(*) FROM (SELECT \"SessionId\" FROM kernels GROUP BY \"SessionId\" HAVING count(*) <> 1) x"));
            Assert.Equal((long)Sessions, await ScalarAsync(conn, "SELECT count(DISTINCT \"SessionId\") FROM kernels"));
            Assert.Equal(0L, await ScalarAsync(conn, "SELECT count(*) FROM (SELECT \"SessionId\" FROM session_status_history WHERE \"Status\" = 'Scheduled' GROUP BY \"SessionId\" HAVING count(*) <> 1) x"));
            // Both managers placed work.
            Assert.Equal(2L, await ScalarAsync(conn, "SELECT count(DISTINCT \"AgentId\") FROM sessions"));

            // Replay every agent's occupancy over time: +cpu at SCHEDULED, -cpu at TERMINATED.
            var events = new List<(string Agent, DateTime At, int Delta)>();
            await using (var cmd = new NpgsqlCommand(
                "SELECT s.\"AgentId\", h.\"At\", h.\"Status\", s.\"Cpu\" FROM session_status_history h JOIN sessions s ON s.\"Id\" = h.\"SessionId\" WHERE h.\"Status\" IN ('Scheduled','Terminated')", conn))
            await using (var reader = await cmd.ExecuteReaderAsync())
                while (await reader.ReadAsync())
                    events.Add((reader.GetString(0), reader.GetDateTime(1), (reader.GetString(2) == "Scheduled" ? 1 : -1) * (int)reader.GetDouble(3)));
            foreach (var agent in events.GroupBy(e => e.Agent))
            {
                var occupied = 0;
                var peak = 0;
                // At equal timestamps releases go first: a slot freed and taken in the same instant is not double use.
                foreach (var e in agent.OrderBy(e => e.At).ThenBy(e => e.Delta))
                {
                    occupied += e.Delta;
                    peak = Math.Max(peak, occupied);
                }
                Assert.True(peak <= AgentCpu, $"agent {agent.Key} held cpu={peak} of {AgentCpu}");
                Assert.Equal(0, occupied);
            }
        }
        finally
        {
            foreach (var server in new[] { a, b })
            {
                await server.DisposeAsync();
                await TestDocker.RemoveContainersOfAgentAsync(server.AgentId);
                if (Environment.GetEnvironmentVariable("BERTH_TEST_KEEP_DATA") != "1") BerthFixture.TryDelete(server.DataDirectory);
            }
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
