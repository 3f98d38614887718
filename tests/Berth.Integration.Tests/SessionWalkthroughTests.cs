using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>Issue 3 acceptance 1 and 2: the seed manuals' walkthroughs, through the CLI.</summary>
[Collection(BerthCollection.Name)]
public class SessionWalkthroughTests(BerthFixture berth)
{
    [Fact]
    public async Task Files_in_mounted_folders_outlive_the_session_and_scratch_files_do_not()
    {
        var (_, user2) = await berth.NewUserAsync("user2");
        Succeeded(await user2.RunAsync("vfolder", "create", "user1-ml-test"));
        Succeeded(await user2.RunAsync("vfolder", "create", "user2-vfolder"));
        var name = BerthFixture.UniqueName("walk");
        Succeeded(await user2.RunAsync("session", "create", "minimal", "-t", name,
            "-m", "user1-ml-test=/workspace", "-m", "user2-vfolder", "--wait"));

        var info = await InfoAsync(user2, name);
        Assert.Equal("RUNNING", info.GetProperty("status").GetString());
        var mounts = info.GetProperty("mounts").EnumerateArray().ToDictionary(m => m.GetProperty("folder").GetString()!, m => m.GetProperty("path").GetString());
        Assert.Equal("/workspace", mounts["user1-ml-test"]);
        Assert.Equal("/home/work/user2-vfolder", mounts["user2-vfolder"]);

        Assert.Contains("user2-vfolder", await ExecAsync(user2, name, "ls", "/home/work"));
        Assert.Contains("workspace", await ExecAsync(user2, name, "ls", "/"));
        await ExecAsync(user2, name, "sh", "-c", "echo 'file inside user2-vfolder' > /home/work/user2-vfolder/test_file && echo scratch > /home/work/leftover");
        Assert.Equal("file inside user2-vfolder\n", await ExecAsync(user2, name, "cat", "/home/work/user2-vfolder/test_file"));
        Assert.Contains("test_file", await ExecAsync(user2, name, "ls", "/home/work/user2-vfolder"));

        FailedWith(await user2.RunAsync("vfolder", "delete", "user2-vfolder"), "folder-in-use");
        await DestroyAsync(user2, name);

        var down = Directory.CreateTempSubdirectory().FullName;
        Succeeded(await user2.RunAsync("vfolder", "download", "user2-vfolder", "test_file", "--dest", down));
        Assert.Equal("file inside user2-vfolder\n", await File.ReadAllTextAsync(Path.Combine(down, "test_file")));
        // Files the session user wrote are the storage API's to manage too.
        Succeeded(await user2.RunAsync("vfolder", "mv", "user2-vfolder", "test_file", "kept_file"));
        Succeeded(await user2.RunAsync("vfolder", "upload", "user2-vfolder", Path.Combine(down, "test_file")));

        var again = BerthFixture.UniqueName("walk2");
        Succeeded(await user2.RunAsync("session", "create", "minimal", "-t", again, "-m", "user2-vfolder", "--wait"));
        var home = await ExecAsync(user2, again, "ls", "-a", "/home/work");
        Assert.DoesNotContain("leftover", home);
        Assert.Contains("user2-vfolder", home);
        // ...and what storage wrote, the session user can change.
        await ExecAsync(user2, again, "sh", "-c", "echo more >> /home/work/user2-vfolder/test_file && rm /home/work/user2-vfolder/kept_file");
        await DestroyAsync(user2, again);
        Succeeded(await user2.RunAsync("vfolder", "rm", "user2-vfolder", "test_file"));
        Assert.Empty(Json(await user2.RunAsync("vfolder", "ls", "user2-vfolder", "--json")).EnumerateArray());
    }

    [Fact]
    public async Task Dot_folders_keep_installed_packages_and_tools_across_sessions()
    {
        Assert.True(berth.HasPythonImage, "the python image is missing: scripts/test builds it (or run `./berth image build python`)");
        var (_, user) = await berth.NewUserAsync("dots");
        Succeeded(await user.RunAsync("vfolder", "create", ".local"));
        Succeeded(await user.RunAsync("vfolder", "create", ".linuxbrew"));

        var first = BerthFixture.UniqueName("pip1");
        Succeeded(await user.RunAsync("session", "create", "python", "-t", first, "--wait"));
        var mounts = (await InfoAsync(user, first)).GetProperty("mounts").EnumerateArray()
            .ToDictionary(m => m.GetProperty("folder").GetString()!, m => (Path: m.GetProperty("path").GetString(), Auto: m.GetProperty("autoMount").GetBoolean()));
        Assert.Equal(("/home/work/.local", true), mounts[".local"]);
        Assert.Equal(("/home/linuxbrew/.linuxbrew", true), mounts[".linuxbrew"]);

        // A package made on the spot (no network): pip installs it for the user, into ~/.local.
        await ExecAsync(user, first, "sh", "-c",
            "mkdir -p /tmp/pkg/berthdemo && echo 'VALUE = 42' > /tmp/pkg/berthdemo/__init__.py && " +
            "printf 'from setuptools import setup\\nsetup(name=\"berthdemo\", version=\"1.0\", packages=[\"berthdemo\"])\\n' > /tmp/pkg/setup.py && " +
            "pip install --user --no-index /tmp/pkg");
        Assert.Contains("berthdemo", await ExecAsync(user, first, "sh", "-c", "ls /home/work/.local/lib/python3*/site-packages"));
        // A tool installed the way Homebrew would, into the .linuxbrew prefix.
        await ExecAsync(user, first, "sh", "-c",
            "mkdir -p /home/linuxbrew/.linuxbrew/bin && printf '#!/bin/sh\\necho Hello, world!\\n' > /home/linuxbrew/.linuxbrew/bin/hello && chmod +x /home/linuxbrew/.linuxbrew/bin/hello");
        await DestroyAsync(user, first);

        var second = BerthFixture.UniqueName("pip2");
        Succeeded(await user.RunAsync("session", "create", "python", "-t", second, "--wait"));
        Assert.Equal("42\n", await ExecAsync(user, second, "python3", "-c", "import berthdemo; print(berthdemo.VALUE)"));
        Assert.Equal("Hello, world!\n", await ExecAsync(user, second, "hello"));
        var path = await ExecAsync(user, second, "sh", "-c", "echo $PATH");
        Assert.Contains("/home/work/.local/bin", path);
        Assert.Contains("/home/linuxbrew/.linuxbrew/bin", path);
        await DestroyAsync(user, second);
    }
}
