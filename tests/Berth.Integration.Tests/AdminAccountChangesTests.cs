using System.Net;
using Berth.Client;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;

namespace Berth.Integration.Tests;

/// <summary>
/// The account changes the admin pages need (issue 13): a user's role, an admin's password reset, removing a project
/// member; through the CLI and the SDK, each validated (problem+json naming the field), audited, and refused to a plain user.
/// </summary>
[Collection(BerthCollection.Name)]
public class AdminAccountChangesTests(BerthFixture berth)
{
    private const string Password = "violet-otter-quietly";

    [Fact]
    public async Task An_admin_changes_a_role_and_resets_a_password_and_the_user_signs_in_with_it()
    {
        var (email, user) = await berth.NewUserAsync("role");
        using var admin = berth.ClientFor(berth.Admin);

        var promoted = await admin.ChangeUserRoleAsync(email, "admin");
        Assert.Equal("admin", promoted.Role);
        // The old keypair is revoked: a console or CLI signed in under the old role signs in again and gets the new one.
        FailedWith(await user.RunAsync("vfolder", "list"), "access-key-invalid");
        Assert.Contains("now a user", Succeeded(await berth.Admin.RunAsync("admin", "user", "set-role", email, "user")).Stdout);
        var bad = await Assert.ThrowsAsync<BerthApiException>(() => admin.ChangeUserRoleAsync(email, "emperor"));
        Assert.Equal((HttpStatusCode.BadRequest, "role-invalid", "role"), (bad.StatusCode, bad.Rule, bad.Field));

        const string changed = "amber-walrus-sings-loudly";
        var weak = await Assert.ThrowsAsync<BerthApiException>(() => admin.ResetUserPasswordAsync(email, "short"));
        Assert.Equal((HttpStatusCode.BadRequest, "password"), (weak.StatusCode, weak.Field));
        var again = await berth.LoginAsync(email, Password);
        Assert.Contains("1 keypair", Succeeded(await berth.Admin.RunAsync("admin", "user", "reset-password", email, "--password", changed)).Stdout);
        FailedWith(await again.RunAsync("vfolder", "list"), "access-key-invalid");
        FailedWith(await new CliRunner(berth.Server.Endpoint).RunAsync("login", "--email", email, "--password", Password), "login-failed");
        await berth.LoginAsync(email, changed);

        // The audit's user filter names the actor; these events name the user as their target.
        var audit = (await admin.ListAuditAsync(action: "user")).Where(e => e.Target == email).ToList();
        Assert.Contains(audit, e => e.Action == "user.role-changed" && e.Outcome == "success" && e.Detail!.StartsWith("user -> admin"));
        Assert.Contains(audit, e => e.Action == "user.password-reset" && e.Outcome == "success");
    }

    [Fact]
    public async Task A_member_is_removed_from_a_project_but_not_from_the_default_one()
    {
        var (email, _) = await berth.NewUserAsync("memb");
        using var admin = berth.ClientFor(berth.Admin);
        var project = BerthFixture.UniqueName("proj");
        await admin.CreateProjectAsync(new Core.Contracts.CreateProjectRequest(project, null));
        await admin.AddProjectMemberAsync(project, email);

        Assert.Contains($"Removed {email}", Succeeded(await berth.Admin.RunAsync("admin", "project", "remove-member", project, email)).Stdout);
        Assert.DoesNotContain(email, (await admin.ListProjectsAsync()).Single(p => p.Name == project).Members);
        var notMember = await Assert.ThrowsAsync<BerthApiException>(() => admin.RemoveProjectMemberAsync(project, email));
        Assert.Equal((HttpStatusCode.NotFound, "not-a-member", "email"), (notMember.StatusCode, notMember.Rule, notMember.Field));
        var everyone = await Assert.ThrowsAsync<BerthApiException>(() => admin.RemoveProjectMemberAsync("default", email));
        Assert.Equal((HttpStatusCode.Conflict, "default-project-membership", "project"), (everyone.StatusCode, everyone.Rule, everyone.Field));
    }

    [Fact]
    public async Task A_plain_user_is_refused_every_admin_change_with_403()
    {
        var (email, userCli) = await berth.NewUserAsync("plain");
        var (other, _) = await berth.NewUserAsync("victim");
        using var user = berth.ClientFor(userCli);

        foreach (var call in new Func<Task>[]
                 {
                     () => user.ChangeUserRoleAsync(other, "admin"),
                     () => user.ChangeUserRoleAsync(email, "admin"),
                     () => user.ResetUserPasswordAsync(other, "amber-walrus-sings-loudly"),
                     () => user.RemoveProjectMemberAsync("default", other),
                     () => user.ListUsersAsync(),
                 })
            Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<BerthApiException>(call)).StatusCode);
        FailedWith(await userCli.RunAsync("admin", "user", "set-role", other, "admin"), "admin-only");
    }
}
