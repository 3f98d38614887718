using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Client;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;

namespace Berth.Integration.Tests;

/// <summary>
/// Bad input gets a 400-class problem+json naming the field and the rule — never a 500 — and leaves the server log
/// quiet: no stack trace, no copy of the input, no line the input could forge.
/// </summary>
[Collection(BerthCollection.Name)]
public class RobustnessTests(BerthFixture berth)
{
    private async Task<BerthClient> AdminClientAsync()
    {
        using var anonymous = new BerthClient(berth.Server.Endpoint);
        var login = await anonymous.LoginAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
        return new BerthClient(berth.Server.Endpoint, new ApiKeyPair(login.AccessKey, login.SecretKey));
    }

    private static async Task Refused(Func<Task> call, HttpStatusCode status, string field, string rule)
    {
        var e = await Assert.ThrowsAsync<BerthApiException>(call);
        Assert.True(status == e.StatusCode && rule == e.Rule && field == e.Field,
            $"expected {(int)status} {rule} on {field}, got {(int?)e.StatusCode} {e.Rule} on {e.Field}: {e.Message}");
    }

    [Theory]
    [InlineData("/etc/passwd", "reference-invalid")]
    [InlineData("UPPER", "reference-invalid")]
    [InlineData("a\u0000b", "control-character")]
    public async Task Image_import_refuses_what_is_not_a_docker_reference(string reference, string rule)
    {
        using var admin = await AdminClientAsync();
        await Refused(() => admin.ImportImageAsync(new ImportImageRequest(reference)), HttpStatusCode.BadRequest, "reference", rule);
    }

    [Theory]
    [InlineData(1e30)]
    [InlineData(1e20)]
    [InlineData(257)]
    public async Task Preset_cpu_is_capped_as_sessions_are(double cpu)
    {
        using var admin = await AdminClientAsync();
        await Refused(() => admin.SaveResourcePresetAsync(new SaveResourcePresetRequest(BerthFixture.UniqueName("pre"), Cpu: cpu, MemoryBytes: 1L << 30)),
            HttpStatusCode.BadRequest, "cpu", "cpu-invalid");
        Assert.Equal(256, (await admin.SaveResourcePresetAsync(new SaveResourcePresetRequest(BerthFixture.UniqueName("pre"), Cpu: 256, MemoryBytes: 1L << 30))).Cpu);
    }

    public static TheoryData<string, string> MissingHeartbeatFields => new()
    {
        { "resourceGroup", "missing" }, { "resourceGroup", "null" },
        { "architecture", "missing" }, { "architecture", "null" },
        { "version", "missing" }, { "version", "null" },
    };

    [Theory]
    [MemberData(nameof(MissingHeartbeatFields))]
    public async Task Agent_sync_names_the_heartbeat_field_it_lacks(string field, string how)
    {
        var beat = new Dictionary<string, object?>
        {
            ["agentId"] = BerthFixture.UniqueName("ghost"), ["resourceGroup"] = "robustness-none", ["architecture"] = "x64",
            ["version"] = "1.0.0", ["capacity"] = new Dictionary<string, decimal>(), ["controlUrl"] = null, ["images"] = Array.Empty<string>(),
        };
        if (how == "missing") beat.Remove(field);
        else beat[field] = null;
        using var http = AgentHttp(berth.Server);
        using var response = await http.PostAsync("/api/agent/v1/sync", JsonBody(JsonSerializer.Serialize(beat)));
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal((field, "required"), (problem.Field, problem.Rule));
    }

    [Fact]
    public async Task Json_that_does_not_bind_is_body_invalid_naming_its_path()
    {
        using var admin = await AdminClientAsync();
        using var http = SignedHttp(admin);
        foreach (var (body, path) in new[]
                 {
                     ("""{"name":"p1","cpu":"two","memoryBytes":1073741824}""", "cpu"),
                     ("""{"name":"p1","cpu":1,"memoryBytes":1e30}""", "memoryBytes"),
                     ("""{"name":["p1"]}""", "name"),
                     ("""{"name":"p1",""", "body"),
                 })
        {
            using var response = await http.PostAsync("/api/admin/presets", JsonBody(body));
            var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal(("body-invalid", path), (problem.Rule, problem.Field));
        }
    }

    [Fact]
    public async Task A_json_body_over_one_mebibyte_is_413()
    {
        using var admin = await AdminClientAsync();
        using var http = SignedHttp(admin);
        var before = berth.Server.Log.Length;
        using var tooLarge = new HttpRequestMessage(HttpMethod.Post, "/api/vfolders")
        {
            Content = JsonBody(JsonSerializer.Serialize(new { name = new string('n', 2 << 20) })),
            Headers = { ExpectContinue = true },
        };
        // Sent unsigned: Berth's SDK refuses to sign a body this large, and the cap holds before authentication,
        // so not even a stranger can make the manager buffer megabytes.
        using var unsigned = new HttpClient { BaseAddress = admin.Endpoint };
        using var response = await unsigned.SendAsync(tooLarge);
        var problem = await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("body-too-large", problem.Rule);
        // Just under the cap, the body is read and the field's own rule answers.
        using var under = await http.PostAsync("/api/vfolders", JsonBody(JsonSerializer.Serialize(new { name = new string('n', 1000 << 10) })));
        var refused = await ProblemAsync(under, HttpStatusCode.BadRequest);
        Assert.Equal(("too-long", "name"), (refused.Rule, refused.Field));
        Assert.True(berth.Server.Log.Length - before < 4096, "the log grew by " + (berth.Server.Log.Length - before));
    }

    [Fact]
    public async Task Huge_or_multi_line_login_emails_are_refused_quietly()
    {
        using var http = new HttpClient { BaseAddress = berth.Server.Endpoint };
        var before = berth.Server.Log.Length;

        var huge = new string('e', 8 << 20) + "@berth.test";
        // Expect: 100-continue lets the server refuse before the client sends the 8 MB (otherwise the refusal
        // races the upload, and the client sees a broken pipe instead of the answer).
        using var hugeLogin = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonBody(JsonSerializer.Serialize(new LoginRequest(huge, "password-1234"))),
            Headers = { ExpectContinue = true },
        };
        using (var response = await http.SendAsync(hugeLogin))
        {
            var problem = await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
            Assert.True(problem.Detail!.Length < 300, problem.Detail);
        }
        var long100k = new string('l', 100_000) + "@berth.test";
        using (var response = await http.PostAsync("/api/auth/login", JsonBody(JsonSerializer.Serialize(new LoginRequest(long100k, "password-1234")))))
        {
            var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal(("email", "too-long"), (problem.Field, problem.Rule));
            Assert.DoesNotContain("llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllll", problem.Detail);
        }
        const string forged = "x@berth.test\nfail: Berth.Manager[0] forged-line-7f3a\r\n      at Forged.Frame()";
        using (var response = await http.PostAsync("/api/auth/login", JsonBody(JsonSerializer.Serialize(new LoginRequest(forged, "password-1234")))))
        {
            var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal(("email", "control-character"), (problem.Field, problem.Rule));
            Assert.DoesNotContain('\n', problem.Detail!);
            Assert.Contains("\\n", problem.Detail!); // the escaped prefix the person can recognise
            Assert.True(problem.Detail!.Length < 300, problem.Detail);
        }

        var grown = berth.Server.Log[Math.Min(before, berth.Server.Log.Length)..];
        Assert.True(grown.Length < 4096, $"the log grew by {grown.Length} characters:\n{grown[..Math.Min(grown.Length, 2000)]}");
        Assert.DoesNotContain("eeeeeeeeeeeeeeee", grown);
        Assert.DoesNotContain("llllllllllllllll", grown);
        Assert.DoesNotContain("forged-line-7f3a", grown);
        Assert.DoesNotContain("   at ", grown);
        Assert.DoesNotContain("fail:", grown);
    }

    [Fact]
    public async Task An_upload_size_near_the_largest_number_cannot_overflow_past_the_quota()
    {
        using var admin = await AdminClientAsync();
        var name = BerthFixture.UniqueName("quota");
        await admin.CreateVFolderAsync(new CreateVFolderRequest(name, QuotaBytes: 1 << 20));
        await Refused(() => admin.CreateUploadTicketAsync(name, "huge.bin", long.MaxValue), HttpStatusCode.RequestEntityTooLarge, "size", "quota-exceeded");
    }

    [Fact]
    public async Task Control_characters_in_a_route_value_are_refused()
    {
        using var admin = await AdminClientAsync();
        await Refused(() => admin.GetVFolderAsync("bad\u0001name"), HttpStatusCode.BadRequest, "folder", "control-character");
    }

    internal static HttpClient AgentHttp(ServerProcess server)
    {
        var http = new HttpClient { BaseAddress = server.Endpoint, Timeout = TimeSpan.FromSeconds(60) };
        var token = File.ReadAllText(Path.Combine(server.DataDirectory, "agent-token")).Trim();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static HttpClient SignedHttp(BerthClient admin) =>
        new(new SigningHandler(() => admin.Credentials, new SocketsHttpHandler())) { BaseAddress = admin.Endpoint };

    internal static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    internal static async Task<ProblemBody> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text[..Math.Min(text.Length, 500)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<ProblemBody>(text, JsonSerializerOptions.Web)!;
    }
}
