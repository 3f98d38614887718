using System.Text.RegularExpressions;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Berth.Web.Tests;

/// <summary>The launcher as an admin uses it: on behalf of a user, a group's preset, several sessions, a chosen agent.</summary>
public sealed partial class LauncherTests
{
    [Fact]
    public async Task Admin_launches_two_sessions_on_behalf_of_a_user_pinned_to_an_agent_listed_with_its_free_resources()
    {
        var (userEmail, userCli) = await fixture.Berth.NewUserAsync("web-behalf");
        using var userApi = fixture.Berth.ClientFor(userCli);
        var name = Berth.Integration.Tests.Infrastructure.BerthFixture.UniqueName("behalf");
        using var adminApi = fixture.Berth.ClientFor(fixture.Berth.Admin);
        var agent = (await adminApi.ListAgentsAsync()).First(a => a.Status == "ALIVE" && a.ResourceGroup == "default");
        var preset = Berth.Integration.Tests.Infrastructure.BerthFixture.UniqueName("small");
        await adminApi.SaveResourcePresetAsync(new SaveResourcePresetRequest(preset, "default", Cpu: 0.5, MemoryBytes: 256L << 20, ShmemBytes: 32L << 20));

        await fixture.Chromium.RunAsync(nameof(Admin_launches_two_sessions_on_behalf_of_a_user_pinned_to_an_agent_listed_with_its_free_resources), async context =>
        {
            var page = await context.NewPageAsync();
            await page.SetViewportSizeAsync(1280, 900);
            await new SignInPage(page, fixture.Console).SignInAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
            var launcher = new LauncherPage(page, fixture.Console);
            await launcher.GotoAsync();

            // 1: the user is looked up by email in the admin user list.
            await launcher.SessionName.FillAsync(name);
            await launcher.OnBehalf.CheckAsync();
            await launcher.OwnerEmail.FillAsync(userEmail);
            await launcher.Option(userEmail).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("owner=" + Regex.Escape(userEmail).Replace("@", "(@|%40)")));
            await AssertAccessibleAsync(page);
            await launcher.NextAsync(2);

            // 2: a preset of the group (its values show through the emptied fields), two sessions, pinned to an agent
            // that the list shows with its free resources.
            await launcher.Environment("minimal").CheckAsync();
            await launcher.Cpu.FillAsync("3");
            await launcher.Preset.ClickAsync();
            await launcher.Option(new Regex("^" + Regex.Escape(preset) + @" \(0\.5 CPU, 256 MiB\)")).ClickAsync();
            await Expect(launcher.Cpu).ToHaveValueAsync("");
            await Expect(launcher.Cpu).ToHaveAttributeAsync("placeholder", "0.5");
            await launcher.NumberOfSessions.FillAsync("2");
            await launcher.Agent.ClickAsync();
            var choice = launcher.Option(new Regex("^" + Regex.Escape(agent.Id) + @" — free \d+(\.\d+)? CPU, \d"));
            await choice.ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("agent=" + Regex.Escape(Uri.EscapeDataString(agent.Id))));
            await AssertAccessibleAsync(page);

            await launcher.SkipToReview.ClickAsync();
            await launcher.StepHeading(5).WaitForAsync();
            Assert.Contains(userEmail, await launcher.ReviewCard("Session type").InnerTextAsync());
            await launcher.Launch.ClickAsync();
            await launcher.LaunchWithoutFolders.ClickAsync();
            await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/sessions");
        });

        // As `berth session create --count 2`: NAME-1 and NAME-2, both the user's, both on that agent.
        var mine = (await userApi.ListSessionsAsync()).Where(s => s.Name.StartsWith(name, StringComparison.Ordinal)).OrderBy(s => s.Name).ToList();
        Assert.Equal([name + "-1", name + "-2"], mine.Select(s => s.Name));
        Assert.All(mine, s => Assert.Equal((userEmail, 0.5, 256L << 20, 32L << 20), (s.Owner, s.Resources.Cpu, s.Resources.MemoryBytes, s.Resources.ShmemBytes)));
        foreach (var s in mine)
        {
            var detail = await userApi.GetSessionAsync(s.Id.ToString());
            Assert.True(detail.Agent is null || detail.Agent == agent.Id, $"{s.Name} placed on {detail.Agent}");
            await userApi.DestroySessionAsync(s.Id.ToString());
        }
    }
}
