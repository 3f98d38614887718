using System.Net;
using Berth.Client;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;

namespace Berth.Integration.Tests;

/// <summary>The API validates every field itself (the CLI's own checks are a convenience), naming field and rule.</summary>
[Collection(BerthCollection.Name)]
public class ApiValidationTests(BerthFixture berth)
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
        Assert.Equal(status, e.StatusCode);
        Assert.Equal(rule, e.Rule);
        Assert.Equal(field, e.Field);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public async Task Each_field_is_checked_with_its_rule()
    {
        using var admin = await AdminClientAsync();
        var name = BerthFixture.UniqueName("api");
        await Refused(() => admin.CreateUserAsync(new CreateUserRequest("role@berth.test", "violet-otter-quietly", "king")), HttpStatusCode.BadRequest, "role", "role-invalid");
        await Refused(() => admin.CreateUserAsync(new CreateUserRequest(null, "violet-otter-quietly", null)), HttpStatusCode.BadRequest, "email", "required");
        await Refused(() => admin.CreateVFolderAsync(new CreateVFolderRequest(name, Permission: "rwx")), HttpStatusCode.BadRequest, "permission", "permission-invalid");
        await Refused(() => admin.CreateVFolderAsync(new CreateVFolderRequest(name, UsageMode: "fun")), HttpStatusCode.BadRequest, "usageMode", "usage-mode-invalid");
        await Refused(() => admin.CreateVFolderAsync(new CreateVFolderRequest(name, QuotaBytes: 0)), HttpStatusCode.BadRequest, "quotaBytes", "quota-invalid");
        await Refused(() => admin.CreateVFolderAsync(new CreateVFolderRequest(name, Project: "no-such-project")), HttpStatusCode.NotFound, "project", "project-not-found");
        await Refused(() => admin.CreateVFolderAsync(new CreateVFolderRequest(".bashrc")), HttpStatusCode.BadRequest, "name", "name-reserved");
        await Refused(() => admin.CreateUploadTicketAsync("no-such-folder", "x", 1), HttpStatusCode.NotFound, "folder", "folder-not-found");

        await admin.CreateVFolderAsync(new CreateVFolderRequest(name));
        await Refused(() => admin.CreateUploadTicketAsync(name, "x", -1), HttpStatusCode.BadRequest, "size", "size-invalid");
        await Refused(() => admin.MkdirAsync(name, "../up"), HttpStatusCode.BadRequest, "path", "path-escapes-folder");
        await Refused(() => admin.RenameVFolderAsync(name, "bad name"), HttpStatusCode.BadRequest, "newName", "name-invalid");
        Assert.Contains(await admin.ListVFoldersAsync(), f => f.Name == name && f.Status == "ready");
    }

    [Fact]
    public async Task Malformed_json_is_a_problem_too()
    {
        using var http = new HttpClient { BaseAddress = berth.Server.Endpoint };
        var response = await http.PostAsync("/api/auth/login", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("body-invalid", await response.Content.ReadAsStringAsync());
    }
}
