using System.Net;
using System.Net.Http.Json;
using Berth.Client;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>
/// Issue 11 item 8: a create whose answer was lost can be retried safely. The same <c>Idempotency-Key</c> answers the
/// first result again (also after a <c>kill -9</c> and a restart), another request under it is refused, and the
/// client and CLI send a key and retry a lost answer with it by themselves.
/// </summary>
[Collection(BerthCollection.Name)]
public class IdempotencyTests(BerthFixture berth)
{
    [Fact]
    public async Task The_same_key_replays_the_first_create_and_a_different_request_is_refused()
    {
        var (_, cli) = await berth.NewUserAsync("idem");
        using var client = berth.ClientFor(cli);
        using var http = Signed(berth.Server.Endpoint, client);
        var name = BerthFixture.UniqueName("idem");
        var key = BerthClient.NewIdempotencyKey();
        var request = new CreateSessionRequest("minimal", name);

        using var first = await PostAsync(http, "api/sessions", request, key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = (await first.Content.ReadFromJsonAsync<SessionDto>(BerthClient.JsonOptions))!;
        Assert.False(first.Headers.Contains("Idempotency-Replayed"));

        using var again = await PostAsync(http, "api/sessions", request, key);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal(created.Id, (await again.Content.ReadFromJsonAsync<SessionDto>(BerthClient.JsonOptions))!.Id);
        Assert.Equal(created.Id.ToString(), again.Headers.Location!.OriginalString.Split('/').Last());
        Assert.Single(await client.ListSessionsAsync(all: true), s => s.Name == name);

        // The same key for something else: refused, and nothing is created.
        using var other = await PostAsync(http, "api/sessions", request with { Name = name + "-x" }, key);
        await AssertProblemAsync(other, 422, "idempotency-key-reused");
        using var otherOperation = await PostAsync(http, "api/vfolders", new CreateVFolderRequest(name), key);
        await AssertProblemAsync(otherOperation, 422, "idempotency-key-reused");
        Assert.DoesNotContain(await client.ListSessionsAsync(all: true), s => s.Name == name + "-x");
        Assert.DoesNotContain(await client.ListVFoldersAsync(), f => f.Name == name);

        // Under a new key it is a new request, and the name is taken.
        var noKey = await Assert.ThrowsAsync<BerthApiException>(() => client.CreateSessionAsync(request, idempotencyKey: "k-" + key));
        Assert.Equal("session-name-taken", noKey.Rule);

        // Keys are each user's own: another user's identical key creates that user's own session.
        var (_, otherCli) = await berth.NewUserAsync("idem2");
        using var otherClient = berth.ClientFor(otherCli);
        var theirs = await otherClient.CreateSessionAsync(request, key);
        Assert.NotEqual(created.Id, theirs.Id);

        await DestroyAsync(cli, name);
        await DestroyAsync(otherCli, name);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    public async Task A_malformed_key_is_refused_naming_the_header(string key)
    {
        var (_, cli) = await berth.NewUserAsync("idemkey");
        using var client = berth.ClientFor(cli);
        using var http = Signed(berth.Server.Endpoint, client);
        using var response = await PostAsync(http, "api/vfolders", new CreateVFolderRequest(BerthFixture.UniqueName("idemkey")), key);
        var problem = await AssertProblemAsync(response, 400, "idempotency-key-invalid");
        Assert.Equal("Idempotency-Key", problem.Field);
        Assert.Empty(await client.ListVFoldersAsync());
    }

    [Fact]
    public async Task A_key_longer_than_255_characters_is_refused()
    {
        var (_, cli) = await berth.NewUserAsync("idemlong");
        using var client = berth.ClientFor(cli);
        using var http = Signed(berth.Server.Endpoint, client);
        using var response = await PostAsync(http, "api/vfolders", new CreateVFolderRequest("long"), new string('k', 256));
        await AssertProblemAsync(response, 400, "idempotency-key-invalid");
    }

    [Fact]
    public async Task A_folder_create_whose_answer_was_lost_is_retried_by_the_client_without_a_duplicate()
    {
        var (_, cli) = await berth.NewUserAsync("idemfold");
        await using var relay = new TcpRelay(berth.Server.Endpoint);
        using var client = new BerthClient(relay.Endpoint, berth.ClientFor(cli).Credentials);
        var name = BerthFixture.UniqueName("idemf");
        relay.LoseNextAnswer(201);

        var folder = await client.CreateVFolderAsync(new CreateVFolderRequest(name));

        Assert.True(relay.Dropped.IsCompleted, "the relay never lost the create's answer");
        Assert.Equal(name, folder.Name);
        Assert.Single(await client.ListVFoldersAsync(), f => f.Name == name);
    }

    [Fact]
    public async Task A_tus_create_retried_with_its_key_gets_the_same_upload()
    {
        var (_, cli) = await berth.NewUserAsync("idemup");
        using var client = berth.ClientFor(cli);
        var folder = BerthFixture.UniqueName("idemup");
        await client.CreateVFolderAsync(new CreateVFolderRequest(folder));
        var ticket = await client.CreateUploadTicketAsync(folder, "data.bin", 10);
        using var http = new HttpClient { BaseAddress = berth.Server.Endpoint };
        var key = BerthClient.NewIdempotencyKey();

        async Task<HttpResponseMessage> CreateAsync(long length)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, ticket.Url);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ticket.Token);
            request.Headers.Add("Tus-Resumable", "1.0.0");
            request.Headers.Add("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("Idempotency-Key", key);
            return await http.SendAsync(request);
        }

        using var first = await CreateAsync(10);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var again = await CreateAsync(10);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal("true", again.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal("0", again.Headers.GetValues("Upload-Offset").Single());
        using var otherLength = await CreateAsync(11);
        await AssertProblemAsync(otherLength, 422, "idempotency-key-reused");
    }

    [Fact]
    public async Task A_create_retried_with_its_key_after_a_kill_9_returns_the_same_session()
    {
        await using var database = await TestDatabase.CreateAsync();
        var data = Directory.CreateTempSubdirectory("berth-idem-").FullName;
        var server = await ServerProcess.StartAsync(data, database.Settings);
        try
        {
            var admin = await CliRunner.LoginAsync(server.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            Succeeded(await admin.RunAsync("image", "import", TestDocker.MinimalReference, "--name", "minimal"));
            var keys = BerthFixture.ClientFor(server.Endpoint, admin).Credentials;
            var request = new CreateSessionRequest("minimal", "crash-idem");
            var key = BerthClient.NewIdempotencyKey();

            // The session is stored, its answer never arrives, and then the server dies.
            await using (var relay = new TcpRelay(server.Endpoint))
            {
                using var viaRelay = new BerthClient(relay.Endpoint, keys) { CreateAttempts = 1 };
                relay.LoseNextAnswer(201);
                var lost = await Assert.ThrowsAsync<BerthApiException>(() => viaRelay.CreateSessionAsync(request, key));
                Assert.True(lost.IsNetworkError, lost.Message);
                Assert.True(relay.Dropped.IsCompleted);
            }
            await server.KillHardAsync();
            await server.DisposeAsync();
            server = await ServerProcess.StartAsync(data, database.Settings, server.AgentId, server.Port);

            using var client = new BerthClient(server.Endpoint, keys);
            var retried = await client.CreateSessionAsync(request, key);
            var all = await client.ListSessionsAsync(all: true);
            var only = Assert.Single(all, s => s.Name == "crash-idem");
            Assert.Equal(only.Id, retried.Id);
            Assert.Single(all);
            Assert.Equal("RUNNING", (await WaitForAsync(admin, "crash-idem", "RUNNING", "ERROR", "CANCELLED")).GetProperty("status").GetString());

            // The CLI sends a key of its own and retries a lost answer with it; re-running with --idempotency-key replays.
            await using (var relay = new TcpRelay(server.Endpoint))
            {
                var viaRelay = new CliRunner(relay.Endpoint);
                File.Copy(Path.Combine(admin.ConfigDirectory, "config.json"), Path.Combine(viaRelay.ConfigDirectory, "config.json"));
                relay.LoseNextAnswer(201);
                var created = Json(Succeeded(await viaRelay.RunAsync("session", "create", "minimal", "-t", "cli-idem", "--idempotency-key", "cli-key-1", "--json")));
                Assert.True(relay.Dropped.IsCompleted, "the relay never lost the CLI's create answer");
                var rerun = Json(Succeeded(await admin.RunAsync("session", "create", "minimal", "-t", "cli-idem", "--idempotency-key", "cli-key-1", "--json")));
                Assert.Equal(created.GetProperty("id").GetString(), rerun.GetProperty("id").GetString());
            }
            Assert.Single(await client.ListSessionsAsync(all: true), s => s.Name == "cli-idem");

            await DestroyAsync(admin, "crash-idem");
            await DestroyAsync(admin, "cli-idem");
        }
        finally
        {
            await server.DisposeAsync();
            await TestDocker.RemoveContainersOfAgentAsync(server.AgentId);
            BerthFixture.TryDelete(data);
        }
    }

    private static HttpClient Signed(Uri endpoint, BerthClient client) =>
        new(new SigningHandler(() => client.Credentials, new SocketsHttpHandler())) { BaseAddress = endpoint };

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, body.GetType(), options: BerthClient.JsonOptions) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return http.SendAsync(request);
    }

    private static async Task<ProblemBody> AssertProblemAsync(HttpResponseMessage response, int status, string rule)
    {
        Assert.Equal(status, (int)response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemBody>(BerthClient.JsonOptions))!;
        Assert.Equal(rule, problem.Rule);
        return problem;
    }
}
