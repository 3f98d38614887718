using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;

namespace Berth.Integration.Tests;

/// <summary>Acceptance 6: bad input gets a clear error, a non-zero exit, and changes nothing.</summary>
[Collection(BerthCollection.Name)]
public class InputValidationTests(BerthFixture berth)
{
    [Fact]
    public async Task Bad_reserved_and_duplicate_names_and_unknown_folders_are_refused()
    {
        var (_, cli) = await berth.NewUserAsync("names");
        FailedWith(await cli.RunAsync("vfolder", "create", "has space"), "name-invalid");
        FailedWith(await cli.RunAsync("vfolder", "create", new string('n', 65)), "name-too-long");
        foreach (var reserved in new[] { ".ssh", ".bashrc", ".bash_profile", ".jupyter", "tmp", "usr" })
            FailedWith(await cli.RunAsync("vfolder", "create", reserved), "name-reserved");
        FailedWith(await cli.RunAsync("vfolder", "create", BerthFixture.UniqueName("h"), "--host", "nowhere"), "host-unknown");
        FailedMentioning(await cli.RunAsync("vfolder", "create", BerthFixture.UniqueName("p"), "--permission", "rwx"), "rwx");
        FailedMentioning(await cli.RunAsync("vfolder", "create", BerthFixture.UniqueName("u"), "--usage-mode", "fun"), "fun");

        var name = BerthFixture.UniqueName("dup");
        Succeeded(await cli.RunAsync("vfolder", "create", name));
        FailedWith(await cli.RunAsync("vfolder", "create", name), "folder-exists");
        FailedWith(await cli.RunAsync("vfolder", "info", "no-such-folder"), "folder-not-found");
        FailedWith(await cli.RunAsync("vfolder", "ls", "no-such-folder"), "folder-not-found");

        var listed = Json(await cli.RunAsync("vfolder", "list", "--json"));
        Assert.Single(listed.EnumerateArray()); // nothing half-made by the refused creates
    }

    [Fact]
    public async Task Over_quota_upload_is_refused_up_front_leaving_nothing()
    {
        var (_, cli) = await berth.NewUserAsync("quota");
        var work = Directory.CreateTempSubdirectory().FullName;
        var folder = BerthFixture.UniqueName("small");
        Succeeded(await cli.RunAsync("vfolder", "create", folder, "--quota", "1m"));
        var fits = RandomFile(work, "fits.bin", 600_000);
        var tooBig = RandomFile(work, "too-big.bin", 600_000);
        Succeeded(await cli.RunAsync("vfolder", "upload", folder, fits));
        var refused = FailedWith(await cli.RunAsync("vfolder", "upload", folder, tooBig), "quota-exceeded");
        Assert.Contains("quota", refused.Stderr);

        var names = Json(await cli.RunAsync("vfolder", "ls", folder, "--json")).EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Equal(["fits.bin"], names);
        var staging = Path.Combine(berth.Server.DataDirectory, "volumes", "local", ".berth-staging");
        Assert.DoesNotContain(Directory.Exists(staging) ? Directory.GetFiles(staging) : [], f => f.Contains("too-big"));
    }

    [Fact]
    public async Task Admin_commands_validate_their_input()
    {
        FailedWith(await berth.Admin.RunAsync("admin", "user", "create", "not-an-email", "--password", "violet-otter-quietly"), "email-invalid");
        FailedWith(await berth.Admin.RunAsync("admin", "user", "create", "short@berth.test", "--password", "short"), "password-too-short");
        FailedMentioning(await berth.Admin.RunAsync("admin", "user", "create", "role@berth.test", "--password", "violet-otter-quietly", "--role", "king"), "king");
        FailedWith(await berth.Admin.RunAsync("admin", "user", "create", ServerProcess.AdminEmail, "--password", "violet-otter-quietly"), "user-exists");
        FailedWith(await berth.Admin.RunAsync("admin", "project", "create", "bad name"), "name-invalid");
        FailedWith(await berth.Admin.RunAsync("admin", "project", "add-member", "no-such-project", ServerProcess.AdminEmail), "project-not-found");
    }
}
