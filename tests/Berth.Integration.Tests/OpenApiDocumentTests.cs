using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;

namespace Berth.Integration.Tests;

/// <summary>
/// The OpenAPI document generates clients as it is (openapi-typescript), passes Redocly's recommended lint, and
/// says the truth about real responses (ajv over a sample); the reference at /api/docs is served from the server itself.
/// </summary>
[Collection(BerthCollection.Name)]
public class OpenApiDocumentTests(BerthFixture berth) : IAsyncLifetime
{
    private string _work = null!;

    public Task InitializeAsync()
    {
        _work = Directory.CreateTempSubdirectory("berth-openapi-").FullName;
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        BerthFixture.TryDelete(_work);
        return Task.CompletedTask;
    }

    private async Task<(string File, JsonNode Doc)> DocumentAsync()
    {
        using var http = new HttpClient { BaseAddress = berth.Server.Endpoint };
        var text = await http.GetStringAsync("/openapi/v1.json");
        var file = Path.Combine(_work, "openapi.json");
        await File.WriteAllTextAsync(file, text);
        return (file, JsonNode.Parse(text)!);
    }

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonNode doc) =>
        doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(m => m.Key is "get" or "put" or "post" or "delete" or "options" or "head" or "patch")
            .Select(m => (p.Key, m.Key, m.Value!.AsObject())));

    [Fact]
    public async Task The_document_is_complete_and_exact()
    {
        var (_, doc) = await DocumentAsync();
        foreach (var server in doc["servers"]?.AsArray() ?? [])
            Assert.False(server!["url"]!.GetValue<string>().EndsWith('/'), $"server url {server["url"]} ends with a slash");
        var schemes = doc["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("Authorization", schemes["berthSignature"]!["name"]!.GetValue<string>());
        Assert.Equal("bearer", schemes["storageTicket"]!["scheme"]!.GetValue<string>());

        var ids = new HashSet<string>();
        foreach (var (path, method, op) in Operations(doc))
        {
            var id = op["operationId"]?.GetValue<string>();
            Assert.False(string.IsNullOrEmpty(id), $"{method} {path} has no operationId");
            Assert.True(ids.Add(id!), $"operationId {id} is used twice");
            Assert.Equal("#/components/responses/Problem", op["responses"]!["default"]?["$ref"]?.GetValue<string>());
        }
        Assert.DoesNotContain("\"pattern\":\"^-?(?:0|[1-9]\\\\d*)$\"", doc.ToJsonString());
        foreach (var type in Descendants(doc).OfType<JsonObject>().Select(o => o["type"]).OfType<JsonArray>())
            Assert.False(type.Any(t => t?.GetValue<string>() == "string") && type.Any(t => t?.GetValue<string>() is "integer" or "number"),
                $"a schema is typed {type.ToJsonString()}");

        var download = doc["paths"]!["/storage/v1/download"]!["get"]!;
        Assert.Contains(download["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Range");
        foreach (var status in new[] { "200", "206", "416" }) Assert.NotNull(download["responses"]![status]);
        var upload = doc["paths"]!["/storage/v1/uploads"]!["post"]!;
        Assert.NotNull(upload["responses"]!["201"]);
        Assert.Contains(upload["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Upload-Length");
        Assert.NotNull(doc["paths"]!["/storage/v1/uploads/{id}"]!["patch"]!["responses"]!["204"]);
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a, _ => [] };
        foreach (var child in children.OfType<JsonNode>())
            foreach (var d in Descendants(child)) yield return d;
    }

    [Fact]
    public async Task Openapi_typescript_generates_types_and_redocly_recommended_lint_passes()
    {
        ThirdPartyTools.RequireNodeModules();
        var (file, _) = await DocumentAsync();
        var types = Path.Combine(_work, "berth.d.ts");
        var generated = await ThirdPartyTools.RunInAsync(ThirdPartyTools.ScriptsDirectory, "node", "node_modules/openapi-typescript/bin/cli.js", file, "-o", types);
        Assert.True(generated.ExitCode == 0, $"openapi-typescript failed: {generated}");
        Assert.Contains("export interface paths", await File.ReadAllTextAsync(types));

        var lint = await ThirdPartyTools.RunInAsync(ThirdPartyTools.ScriptsDirectory, "node", "node_modules/@redocly/cli/bin/cli.js",
            "lint", "--extends", "recommended", "--format", "stylish", file);
        Assert.True(lint.ExitCode == 0, $"redocly lint failed: {lint}");
    }

    [Fact]
    public async Task Real_responses_match_their_schemas()
    {
        ThirdPartyTools.RequireNodeModules();
        var (file, _) = await DocumentAsync();
        var (_, cli) = await berth.NewUserAsync("openapi");
        using var client = berth.ClientFor(cli);
        using var http = new HttpClient(new SigningHandler(() => client.Credentials, new SocketsHttpHandler())) { BaseAddress = berth.Server.Endpoint };
        var samples = new JsonArray();
        async Task Sample(HttpMethod method, string url, object? body = null)
        {
            using var request = new HttpRequestMessage(method, url);
            if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            samples.Add(new JsonObject
            {
                ["path"] = url, ["method"] = method.Method.ToLowerInvariant(),
                ["status"] = ((int)response.StatusCode).ToString(),
                ["contentType"] = response.Content.Headers.ContentType?.MediaType, ["body"] = JsonNode.Parse(text),
            });
        }

        var folder = BerthFixture.UniqueName("oa");
        await Sample(HttpMethod.Post, "/api/vfolders", new { name = folder });
        await Sample(HttpMethod.Get, "/api/vfolders");
        await Sample(HttpMethod.Post, "/api/vfolders", new { name = "bad name" });
        await Sample(HttpMethod.Get, "/api/sessions");
        await Sample(HttpMethod.Get, "/api/sessions/no-such-session");
        var session = await client.CreateSessionAsync(new CreateSessionRequest("berth/minimal:latest", BerthFixture.UniqueName("oa"), "batch", "true"));
        await Sample(HttpMethod.Get, $"/api/sessions/{session.Id}");
        await Sample(HttpMethod.Get, $"/api/sessions/{session.Id}/usage");
        Assert.Contains(samples, s => s!["status"]!.GetValue<string>() == "400");

        var samplesFile = Path.Combine(_work, "samples.json");
        await File.WriteAllTextAsync(samplesFile, samples.ToJsonString());
        var run = await ThirdPartyTools.RunInAsync(ThirdPartyTools.ScriptsDirectory, "node", "validate-responses.mjs", file, samplesFile);
        Assert.True(run.ExitCode == 0, $"responses do not match the document: {run}\n{samples.ToJsonString()[..Math.Min(4000, samples.ToJsonString().Length)]}");
    }

    [Fact]
    public async Task The_api_reference_is_served_offline_at_api_docs()
    {
        using var http = new HttpClient { BaseAddress = berth.Server.Endpoint };
        using var page = await http.GetAsync("/api/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("cdn.jsdelivr.net", html);
        // The script the page loads comes from this server, so the reference works without internet access.
        var script = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(script), "the page loads no script");
        Assert.False(Uri.TryCreate(script, UriKind.Absolute, out var abs) && abs.Host != berth.Server.Endpoint.Host, $"the script comes from {script}");
        using var js = await http.GetAsync(new Uri(new Uri(berth.Server.Endpoint, "/api/docs/"), script));
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
    }
}
