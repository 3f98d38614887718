using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;

namespace Berth.Integration.Tests;

[Collection(BerthCollection.Name)]
public class VFolderLifecycleTests(BerthFixture berth)
{
    [Fact]
    public async Task Create_info_rename_delete_recover_purge()
    {
        var (_, cli) = await berth.NewUserAsync("life");
        var name = BerthFixture.UniqueName("data");
        Succeeded(await cli.RunAsync("vfolder", "create", name, "--usage-mode", "data", "--quota", "10m"));

        var info = Json(await cli.RunAsync("vfolder", "info", name, "--json"));
        Assert.Equal("ready", info.GetProperty("status").GetString());
        Assert.Equal("data", info.GetProperty("usageMode").GetString());
        Assert.Equal("local", info.GetProperty("host").GetString());
        Assert.Equal(10L * 1024 * 1024, info.GetProperty("quotaBytes").GetInt64());
        Assert.Equal(0, info.GetProperty("fileCount").GetInt64());
        var id = info.GetProperty("id").GetGuid();
        var dir = Path.Combine(berth.Server.DataDirectory, "volumes", "local", id.ToString("N"));
        Assert.True(Directory.Exists(dir), "the folder is a real directory on the storage host");

        var renamed = name + "-x";
        Succeeded(await cli.RunAsync("vfolder", "rename", name, renamed));
        FailedWith(await cli.RunAsync("vfolder", "info", name), "folder-not-found");

        Succeeded(await cli.RunAsync("vfolder", "delete", renamed));
        var listed = Json(await cli.RunAsync("vfolder", "list", "--json"));
        Assert.Contains(listed.EnumerateArray(), f => f.GetProperty("name").GetString() == renamed && f.GetProperty("status").GetString() == "delete-pending");
        FailedWith(await cli.RunAsync("vfolder", "ls", renamed), "folder-status");

        Succeeded(await cli.RunAsync("vfolder", "recover", renamed));
        Assert.Equal("ready", Json(await cli.RunAsync("vfolder", "info", renamed, "--json")).GetProperty("status").GetString());

        FailedWith(await cli.RunAsync("vfolder", "purge", renamed), "folder-status");
        Succeeded(await cli.RunAsync("vfolder", "delete", renamed));
        Succeeded(await cli.RunAsync("vfolder", "purge", renamed));
        FailedWith(await cli.RunAsync("vfolder", "info", renamed), "folder-not-found");
        Assert.False(Directory.Exists(dir), "purge deletes the data for good");
    }

    [Fact]
    public async Task Clone_copies_a_cloneable_folder()
    {
        var (_, cli) = await berth.NewUserAsync("clone");
        var work = Directory.CreateTempSubdirectory().FullName;
        var source = BerthFixture.UniqueName("src");
        var plain = BerthFixture.UniqueName("plain");
        Succeeded(await cli.RunAsync("vfolder", "create", source, "--cloneable"));
        Succeeded(await cli.RunAsync("vfolder", "create", plain));
        var file = RandomFile(work, "weights.bin", 100_000);
        Succeeded(await cli.RunAsync("vfolder", "upload", source, file, "--dest", "models"));

        FailedWith(await cli.RunAsync("vfolder", "clone", plain, plain + "-copy"), "not-cloneable");
        var target = source + "-copy";
        Succeeded(await cli.RunAsync("vfolder", "clone", source, target));
        var status = "";
        for (var i = 0; i < 100 && status != "ready"; i++)
        {
            status = Json(await cli.RunAsync("vfolder", "info", target, "--json")).GetProperty("status").GetString()!;
            if (status != "ready") await Task.Delay(200);
        }
        Assert.Equal("ready", status);
        var down = Directory.CreateTempSubdirectory().FullName;
        Succeeded(await cli.RunAsync("vfolder", "download", target, "models/weights.bin", "--dest", down));
        Assert.Equal(Sha256(file), Sha256(Path.Combine(down, "weights.bin")));
    }

    [Fact]
    public async Task Dot_folders_are_marked_auto_mount_and_never_shared()
    {
        var (_, cli) = await berth.NewUserAsync("dot");
        var (otherEmail, _) = await berth.NewUserAsync("dotpeer");
        Succeeded(await cli.RunAsync("vfolder", "create", ".local"));
        var local = Json(await cli.RunAsync("vfolder", "info", ".local", "--json"));
        Assert.True(local.GetProperty("isAutoMount").GetBoolean());
        FailedWith(await cli.RunAsync("vfolder", "share", ".local", otherEmail), "automount-not-shareable");
        var table = Succeeded(await cli.RunAsync("vfolder", "list")).Stdout;
        Assert.Contains(".local", table);
    }

    [Fact]
    public async Task Project_folders_are_made_by_admins_and_reach_members()
    {
        var (memberEmail, member) = await berth.NewUserAsync("member");
        var (_, outsider) = await berth.NewUserAsync("outsider");
        var project = BerthFixture.UniqueName("proj");
        var folder = BerthFixture.UniqueName("team");

        FailedWith(await member.RunAsync("vfolder", "create", folder, "--project", "default"), "project-folder-admin-only");
        Succeeded(await berth.Admin.RunAsync("admin", "project", "create", project));
        Succeeded(await berth.Admin.RunAsync("admin", "project", "add-member", project, memberEmail));
        FailedWith(await berth.Admin.RunAsync("vfolder", "create", ".config", "--project", project), "automount-user-only");
        Succeeded(await berth.Admin.RunAsync("vfolder", "create", folder, "--project", project, "--permission", "ro"));

        var seen = Json(await member.RunAsync("vfolder", "info", folder, "--json"));
        Assert.Equal("project", seen.GetProperty("ownership").GetString());
        Assert.Equal("ro", seen.GetProperty("permission").GetString());
        FailedWith(await member.RunAsync("vfolder", "mkdir", folder, "x"), "permission-denied");
        FailedWith(await outsider.RunAsync("vfolder", "info", folder), "folder-not-found");

        var users = Json(await berth.Admin.RunAsync("admin", "user", "list", "--json"));
        var memberRow = users.EnumerateArray().Single(u => u.GetProperty("email").GetString() == memberEmail);
        var projects = memberRow.GetProperty("projects").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains("default", projects); // every user belongs to the default project
        Assert.Contains(project, projects);
    }
}
