using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Integration.Tests.Infrastructure;

namespace Berth.Integration.Tests;

/// <summary>
/// Every operation in the OpenAPI document, fed hostile input as a signed user (admin for admin routes):
/// malformed JSON, wrong types, missing and null fields, 1 MB strings, NUL and control characters, huge and
/// negative numbers, <c>..</c> and very long path parameters. No answer may be a 5xx or take longer than its
/// bound, the log may grow by less than 1 MB, and no marker value may reach the log.
/// </summary>
[Collection(BerthCollection.Name)]
public class ApiFuzzTests(BerthFixture berth)
{
    // Distinctive markers: if any of them shows up in the server log, raw input was logged.
    private const string Marker = "FUZZMARK7q3z";
    private static readonly string Huge = Marker + new string('h', 1_000_000);
    private static readonly string Control = Marker + "ctl\u0000\u0001\r\nforged: line\u001b[31m";
    private static readonly string LongSegment = Marker + new string('p', 4000);

    private static IEnumerable<string?> Bodies(JsonObject? properties)
    {
        yield return "{\"" + Marker + "\": ";                 // malformed JSON
        yield return "[1,2,3]";                                 // wrong shape
        yield return "{}";                                      // every field missing
        yield return "\"" + Marker + "notanobject\"";
        var names = properties?.Select(p => p.Key).ToList() is { Count: > 0 } found ? found : ["name"];
        JsonObject With(Func<string, JsonNode?> value)
        {
            var o = new JsonObject();
            foreach (var n in names) o[n] = value(n);
            return o;
        }
        yield return With(_ => null).ToJsonString();
        // One 1 MB string per body: the signer (and the server's 1 MiB cap) refuse larger bodies before they are sent.
        yield return With(n => n == names[0] ? Huge : "x").ToJsonString();
        yield return With(_ => Control).ToJsonString();
        yield return With(_ => JsonValue.Create(-1)).ToJsonString();
        yield return With(_ => JsonNode.Parse("1e308")).ToJsonString();
        yield return With(_ => JsonNode.Parse("-99999999999999999999999")).ToJsonString();
        yield return With(_ => new JsonArray(Marker + "arr")).ToJsonString();
        yield return With(_ => new JsonObject { ["x"] = Marker + "obj" }).ToJsonString();
    }

    [Fact]
    public async Task No_operation_answers_5xx_hangs_or_logs_raw_input()
    {
        using var anonymous = new HttpClient { BaseAddress = berth.Server.Endpoint };
        var doc = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        var (_, cli) = await berth.NewUserAsync("fuzz");
        using var user = berth.ClientFor(cli);
        using var adminLogin = new BerthClient(berth.Server.Endpoint);
        var login = await adminLogin.LoginAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
        var adminKeys = new ApiKeyPair(login.AccessKey, login.SecretKey);
        HttpClient Signed(Func<ApiKeyPair?> keys) =>
            new(new SigningHandler(keys, new SocketsHttpHandler())) { BaseAddress = berth.Server.Endpoint, Timeout = TimeSpan.FromSeconds(15) };
        using var asUser = Signed(() => user.Credentials);
        using var asAdmin = Signed(() => adminKeys);
        // Agent routes with the agent token, storage routes with real tickets: so that these too reach their validation.
        using var asAgent = RobustnessTests.AgentHttp(berth.Server);
        asAgent.Timeout = TimeSpan.FromSeconds(15);
        var folder = BerthFixture.UniqueName("fuzz");
        await user.CreateVFolderAsync(new Berth.Core.Contracts.CreateVFolderRequest(folder));
        var seedDirectory = Directory.CreateTempSubdirectory("berth-fuzz-").FullName;
        var seedFile = Path.Combine(seedDirectory, "seed.txt");
        await File.WriteAllTextAsync(seedFile, "fuzz");
        await user.UploadFileAsync(folder, seedFile, "seed.txt");
        BerthFixture.TryDelete(seedDirectory);
        var uploadTicket = await user.CreateUploadTicketAsync(folder, "fuzzed.bin", 10);
        var downloadTicket = await user.CreateDownloadTicketAsync(folder, "seed.txt");
        HttpClient Ticketed(string token)
        {
            var http = new HttpClient { BaseAddress = berth.Server.Endpoint, Timeout = TimeSpan.FromSeconds(15) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return http;
        }
        using var asUploader = Ticketed(uploadTicket.Token);
        using var asDownloader = Ticketed(downloadTicket.Token);
        var reachedPastAuthentication = new HashSet<string>();
        var operations = new HashSet<string>();
        var refusedBy = new Dictionary<string, int>();

        var logBefore = berth.Server.Log.Length;
        var failures = new List<string>();
        var requests = 0;
        var unauthenticated = 0;
        // Operations that end the caller's keypair (password change, logout) go last, so that they do not turn the
        // rest of the run into 401s; logout is the very last.
        static int Order(string template) => template.EndsWith("/logout", StringComparison.Ordinal) ? 2 : template.StartsWith("/api/auth/", StringComparison.Ordinal) ? 1 : 0;
        foreach (var (template, pathItem) in doc["paths"]!.AsObject().OrderBy(p => Order(p.Key)))
        foreach (var (method, operation) in pathItem!.AsObject())
        {
            if (method is "parameters" or "summary" or "description") continue;
            // Terminal and app websockets, login (rate-limited) and server-sent streams are covered by their own tests.
            if (template.Contains("/events", StringComparison.Ordinal) || template.EndsWith("/login", StringComparison.Ordinal)) continue;
            var http = template switch
            {
                _ when template.StartsWith("/api/agent", StringComparison.Ordinal) => asAgent,
                _ when template.StartsWith("/api/admin", StringComparison.Ordinal) => asAdmin,
                _ when template.StartsWith("/storage/v1/uploads", StringComparison.Ordinal) => asUploader,
                _ when template.StartsWith("/storage/", StringComparison.Ordinal) => asDownloader,
                _ => asUser,
            };
            var operationName = $"{method} {template}";
            operations.Add(operationName);
            var headerNames = (operation!["parameters"] as JsonArray ?? [])
                .Where(p => p?["in"]?.GetValue<string>() == "header").Select(p => p!["name"]!.GetValue<string>()).ToList();
            var properties = ResolveBodyProperties(doc, operation!);
            var paths = new[] { "..", LongSegment, Marker + "%00nul", "-1" }
                .Select(v => System.Text.RegularExpressions.Regex.Replace(template, "{[^}]+}", Uri.EscapeDataString(v).Replace("%2500", "%00")))
                .Distinct();
            var takesBody = method is "post" or "put" or "patch";
            // Each declared header (Upload-Length, Upload-Offset, Range, Idempotency-Key...) also gets hostile values, with the real path.
            var cases = paths.SelectMany(path => (takesBody ? Bodies(properties) : new string?[] { null }).Select(body => (path, body, header: ((string, string)?)null)))
                .Concat(headerNames.SelectMany(h => HostileHeaderValues.Select(v => (path: template.Contains('{') ? paths.First() : template, body: (string?)null, header: ((string, string)?)(h, v)))));
            foreach (var (path, body, header) in cases)
            {
                requests++;
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path + "?q=" + Uri.EscapeDataString(Control));
                if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                if (header is var (headerName, headerValue))
                {
                    request.Headers.TryAddWithoutValidation(headerName, headerValue);
                    if (headerName == "Tus-Resumable") { } else request.Headers.TryAddWithoutValidation("Tus-Resumable", "1.0.0");
                    if (method == "patch") request.Content = new ByteArrayContent("0123"u8.ToArray()) { Headers = { { "Content-Type", "application/offset+octet-stream" } } };
                }
                // As a careful client does: a server that refuses before reading (401, 404, 413) says so before the
                // megabyte is sent, instead of closing a connection still being written to.
                request.Headers.ExpectContinue = body is not null;
                try
                {
                    using var response = await http.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.Unauthorized) { unauthenticated++; var why = operationName + " " + (path.Length > 60 ? path[..60] : path) + " " + System.Text.RegularExpressions.Regex.Match(await response.Content.ReadAsStringAsync(), "\"rule\":\"[^\"]+").Value; refusedBy[why] = refusedBy.GetValueOrDefault(why) + 1; }
                    else reachedPastAuthentication.Add(operationName);
                    if ((int)response.StatusCode >= 500) failures.Add($"{method} {template} -> {(int)response.StatusCode} for body {Short(body)}");
                }
                catch (TaskCanceledException)
                {
                    failures.Add($"{method} {template} did not answer within 15 s for body {Short(body)}");
                }
                catch (HttpRequestException e)
                {
                    failures.Add($"{method} {template} broke the connection ({e.InnerException?.Message ?? e.Message}) for body {Short(body)}");
                }
            }
        }

        Assert.True(requests > 100, $"only {requests} requests were sent");
        // Every operation must reach past authentication at least once; a fuzz run answered 401 throughout would prove nothing.
        Assert.True(unauthenticated < requests / 4, $"{unauthenticated} of {requests} requests were refused as unauthenticated: {string.Join(", ", refusedBy.OrderByDescending(r => r.Value).Take(12).Select(r => $"{r.Key} {r.Value}"))}");
        Assert.Empty(operations.Except(reachedPastAuthentication));
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} requests failed:\n{string.Join('\n', failures.Take(40))}");
        var grown = berth.Server.Log[logBefore..];
        Assert.True(grown.Length < 1024 * 1024, $"the log grew by {grown.Length} characters over {requests} requests");
        Assert.DoesNotContain(Marker, grown);
    }

    private static readonly string[] HostileHeaderValues =
        ["-1", "1e308", "99999999999999999999999999", "abc", "bytes=0-0,-1,5-,9999999999999999999-", "items=0-5", "bytes=-0", Marker + "hdr", LongSegment, ""];

    private static string Short(string? body) => body is null ? "(none)" : body.Length > 80 ? body[..80] + "…" : body;

    /// <summary>The top-level properties of the operation's JSON body, following one $ref into components.</summary>
    private static JsonObject? ResolveBodyProperties(JsonNode doc, JsonNode operation)
    {
        var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
        if (schema?["$ref"]?.GetValue<string>() is { } reference)
            schema = doc["components"]?["schemas"]?[reference.Split('/').Last()];
        return schema?["properties"] as JsonObject;
    }
}
