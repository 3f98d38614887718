using System.Net;
using System.Text.RegularExpressions;
using Berth.Client;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Web.Tests;

/// <summary>Issue 13's admin pages in Chromium against a real server: users, groups, presets, agents, images, sessions; refused to plain users.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AdminPagesTests(ConsoleFixture fixture)
{
    private const string Password = "violet-otter-quietly";

    [Fact]
    public async Task An_admin_creates_a_user_a_group_granted_to_them_and_a_preset_and_the_users_launcher_offers_both()
    {
        var email = BerthFixture.UniqueName("web-adm-new") + "@berth.test";
        var group = BerthFixture.UniqueName("grp");
        var preset = BerthFixture.UniqueName("pre");

        await fixture.Chromium.RunAsync(nameof(An_admin_creates_a_user_a_group_granted_to_them_and_a_preset_and_the_users_launcher_offers_both), async context =>
        {
            var page = await context.NewPageAsync();
            await page.SetViewportSizeAsync(1280, 900);
            await new SignInPage(page, fixture.Console).SignInAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            var admin = new AdminPages(page, fixture.Console);

            await admin.GotoAsync("users");
            await admin.CreateUserAsync(email, Password);
            await Expect(admin.Row("User " + email)).ToBeVisibleAsync();

            // Through the tabs (not the address bar), as an admin moves between areas.
            await admin.Tab("Resource groups").ClickAsync();
            await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/admin/resource-groups");
            await admin.CreateGroupAsync(group, "For the acceptance test");
            await admin.GrantGroupAsync(group, email: email);
            await Expect(admin.Row("Group " + group)).ToContainTextAsync(email);

            await admin.Tab("Presets").ClickAsync();
            await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/admin/presets");
            await admin.SavePresetAsync(preset, group, "0.5", "256");
            await Expect(admin.Row("Preset " + preset)).ToContainTextAsync(group);
            await admin.SignOutAsync();

            await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            var launcher = new LauncherPage(page, fixture.Console);
            await launcher.GotoAsync();
            await launcher.NextAsync(2);
            await page.GetByLabel("Resource group", new() { Exact = true }).ClickAsync();
            await launcher.Option(group).ClickAsync();
            await launcher.Preset.ClickAsync();
            await launcher.Option(new Regex("^" + Regex.Escape(preset) + @" \(0\.5 CPU, 256 MiB\)")).WaitForAsync();
        });
    }

    [Fact]
    public async Task The_users_page_changes_a_role_and_resets_a_password_and_a_deactivated_user_cannot_sign_in()
    {
        var (email, _) = await fixture.Berth.NewUserAsync("web-adm-u");
        const string changed = "amber-walrus-sings-loudly";

        await fixture.Chromium.RunAsync(nameof(The_users_page_changes_a_role_and_resets_a_password_and_a_deactivated_user_cannot_sign_in), async context =>
        {
            var page = await context.NewPageAsync();
            await page.SetViewportSizeAsync(1280, 900);
            await new SignInPage(page, fixture.Console).SignInAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            var admin = new AdminPages(page, fixture.Console);
            await admin.GotoAsync("users");
            await admin.ManageAsync(email);

            // A weak password is refused with the manager's own words, naming the field.
            await admin.Field("New password").FillAsync("short");
            await admin.Button("Reset password").ClickAsync();
            await Expect(admin.Problem).ToContainTextAsync("Passwords need at least");

            await admin.ChooseAsync("New role", "admin");
            await admin.SubmitAsync("Change role", $"{email} is now a admin");
            await Expect(admin.Row("User " + email)).ToContainTextAsync("admin");
            await admin.Field("New password").FillAsync(changed);
            await admin.SubmitAsync("Reset password", "New password set for " + email);

            // The user, in a browser of their own: the old password is refused, the new one works, with the new role.
            var userPage = await context.Browser!.NewPageAsync();
            var signIn = new SignInPage(userPage, fixture.Console);
            await signIn.GotoAsync();
            await signIn.SubmitAsync(email, Password);
            await Expect(signIn.Error).ToBeVisibleAsync();
            await signIn.SignInAsync(email, changed);
            await Expect(userPage.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true })).ToBeVisibleAsync();
            await userPage.CloseAsync();

            await admin.SubmitAsync("Deactivate", email + ": deactivated");
            await Expect(admin.Row("User " + email)).ToContainTextAsync("no");
        });

        await fixture.Chromium.RunAsync(nameof(The_users_page_changes_a_role_and_resets_a_password_and_a_deactivated_user_cannot_sign_in) + "-refused", async context =>
        {
            var page = await context.NewPageAsync();
            var signIn = new SignInPage(page, fixture.Console);
            await signIn.GotoAsync();
            await signIn.SubmitAsync(email, changed);
            await Expect(signIn.Error).ToBeVisibleAsync();
            Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        });
    }

    [Fact]
    public async Task A_plain_user_has_no_admin_link_is_told_admins_only_and_is_refused_by_the_api()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-adm-plain");
        using var api = fixture.Berth.ClientFor(cli);

        await fixture.Chromium.RunAsync(nameof(A_plain_user_has_no_admin_link_is_told_admins_only_and_is_refused_by_the_api), async context =>
        {
            var page = await context.NewPageAsync();
            await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sessions", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true })).ToHaveCountAsync(0);

            var admin = new AdminPages(page, fixture.Console);
            foreach (var tab in new[] { "", "users", "agents" })
            {
                await page.GotoAsync(new Uri(fixture.Console, "/admin/" + tab).ToString());
                await Expect(admin.AdminOnly).ToBeVisibleAsync();
                await Expect(page.GetByRole(AriaRole.Tab)).ToHaveCountAsync(0);
                await Expect(page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
            }
        });

        foreach (var call in new Func<Task>[] { () => api.ListUsersAsync(), () => api.ListAgentsAsync(), () => api.ChangeUserRoleAsync(email, "admin") })
            Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<BerthApiException>(call)).StatusCode);
    }

    [Fact]
    public async Task The_agents_images_and_sessions_tabs_show_the_agent_with_its_capacity_the_images_and_another_users_session()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-adm-s");
        using var userApi = fixture.Berth.ClientFor(cli);
        using var adminApi = fixture.Berth.ClientFor(fixture.Berth.Admin);
        var agent = (await adminApi.ListAgentsAsync()).First(a => a.Status == "ALIVE");
        var name = BerthFixture.UniqueName("theirs");
        // It waits for more CPU than the agent has: a session of another user, no container needed.
        await userApi.CreateSessionAsync(new CreateSessionRequest("minimal", name, Resources: new ResourceRequestDto(Cpu: 128)));
        try
        {
            await fixture.Chromium.RunAsync(nameof(The_agents_images_and_sessions_tabs_show_the_agent_with_its_capacity_the_images_and_another_users_session), async context =>
            {
                var page = await context.NewPageAsync();
                await page.SetViewportSizeAsync(1280, 900);
                await new SignInPage(page, fixture.Console).SignInAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
                var admin = new AdminPages(page, fixture.Console);

                await admin.GotoAsync("agents");
                var row = admin.Row("Agent " + agent.Id);
                await Expect(row).ToContainTextAsync("ALIVE");
                await Expect(row).ToContainTextAsync(agent.ResourceGroup);
                await Expect(row.GetByRole(AriaRole.Cell).Nth(3)).ToHaveTextAsync(new Regex(@"^\d+(\.\d+)? CPU, \d+(\.\d+)? MiB"));
                await Expect(row.GetByRole(AriaRole.Cell).Nth(4)).ToHaveTextAsync(new Regex(@"^(\d+(\.\d+)? CPU, \d+(\.\d+)? MiB|—)"));

                await admin.GotoAsync("images");
                await Expect(admin.Row("Image minimal")).ToContainTextAsync(TestDocker.MinimalReference);

                await admin.GotoAsync("sessions");
                await Expect(admin.Row($"Session {name} of {email}")).ToContainTextAsync("PENDING");
            });
        }
        finally
        {
            await userApi.DestroySessionAsync(name);
        }
    }

    [Fact]
    public async Task Every_admin_tab_has_no_serious_accessibility_violations()
    {
        await fixture.Chromium.RunAsync(nameof(Every_admin_tab_has_no_serious_accessibility_violations), async context =>
        {
            var page = await context.NewPageAsync();
            await page.SetViewportSizeAsync(1280, 900);
            await new SignInPage(page, fixture.Console).SignInAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            var admin = new AdminPages(page, fixture.Console);
            foreach (var slug in new[] { "users", "projects", "resource-groups", "presets", "policies", "agents", "images", "sessions" })
            {
                await admin.GotoAsync(slug);
                await page.GetByRole(AriaRole.Table).First.WaitForAsync();
                var violations = await Axe.SeriousViolationsAsync(page);
                await Screens.SaveAsync(page, "web-admin-" + slug);
                Assert.True(violations.Count == 0, $"/admin/{slug}: " + string.Join("\n", violations));
            }
        });
    }
}
