using Berth.Core.Images;
using Berth.Agent.Docker;
using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using Berth.Agent.Images;
using Xunit.Abstractions;

namespace Berth.Agent.Tests;

public sealed class ImageBuilderTests(ITestOutputHelper output)
{
    [Fact]
    public void Recipes_and_references()
    {
        Assert.Equal(["minimal", "python"], ImageBuilder.Recipes);
        Assert.Equal("berth/minimal:latest", ImageBuilder.ReferenceFor("minimal"));
        Assert.Equal("berth/python:latest", ImageBuilder.ReferenceFor("python"));
        var e = Assert.Throws<ArgumentException>(() => ImageBuilder.ReferenceFor("cuda"));
        Assert.Contains("'cuda'", e.Message);
        Assert.Contains("minimal, python", e.Message);
    }

    [Fact]
    public async Task Unknown_recipe_is_an_argument_error()
    {
        using var docker = DockerEndpoint.CreateClient();
        var e = await Assert.ThrowsAsync<ArgumentException>(
            () => new ImageBuilder(docker).BuildAsync("ubuntu", null, CancellationToken.None));
        Assert.Contains("unknown image recipe 'ubuntu'", e.Message);
    }

    [Fact]
    public void Labels_per_recipe()
    {
        var minimal = ImageBuilder.LabelsFor("minimal");
        Assert.Equal("0.1", minimal[BerthImageLabels.MinCpu]);
        Assert.Equal("16777216", minimal[BerthImageLabels.MinMemory]);
        Assert.Equal("67108864", minimal[BerthImageLabels.PreferredShmem]);
        Assert.Equal("", minimal[BerthImageLabels.ServicePorts]);
        Assert.Equal("minimal", minimal[BerthImageLabels.Recipe]);
        var python = ImageBuilder.LabelsFor("python");
        Assert.Equal("0.5", python[BerthImageLabels.MinCpu]);
        Assert.Equal("268435456", python[BerthImageLabels.MinMemory]);
        Assert.Equal("67108864", python[BerthImageLabels.PreferredShmem]);
        Assert.Equal("python", python[BerthImageLabels.Recipe]);
        // Jupyter is declared as a service with the command that starts it on demand; its token comes from JUPYTER_TOKEN
        // (the session's app token), so the command neither empties it nor opens origin or XSRF checks.
        Assert.Equal([new Berth.Core.Contracts.ServicePortDto("jupyter", "http", 8888)], BerthImageLabels.ParseServicePorts(python[BerthImageLabels.ServicePorts]));
        var jupyter = BerthImageLabels.ServiceCommandOf(python, "jupyter");
        Assert.NotNull(jupyter);
        Assert.StartsWith("jupyter notebook ", jupyter);
        Assert.Contains("--port=8888", jupyter);
        Assert.Contains("--NotebookApp.port_retries=0", jupyter);
        Assert.DoesNotContain("token=", jupyter);
        Assert.DoesNotContain("allow_origin", jupyter);
        Assert.DoesNotContain("disable_check_xsrf", jupyter);
        Assert.Null(BerthImageLabels.ServiceCommandOf(minimal, "jupyter"));
    }

    [Fact]
    public void Static_elf_detection()
    {
        var busybox = ImageBuilder.BusyboxCandidates.FirstOrDefault(File.Exists);
        Assert.True(busybox is not null, "install busybox-static (apt-get install busybox-static)");
        Assert.True(ImageBuilder.IsStaticElf(File.ReadAllBytes(busybox)), $"{busybox} should be static");
        var dynamic = new[] { "/usr/bin/ls", "/bin/ls" }.First(File.Exists);
        Assert.False(ImageBuilder.IsStaticElf(File.ReadAllBytes(dynamic)));
        Assert.False(ImageBuilder.IsStaticElf("#!/bin/sh\necho not an ELF file at all, but long enough to be read\n"u8));
    }

    [Fact]
    public async Task Minimal_image_builds_and_runs_as_uid_1000()
    {
        using var docker = DockerEndpoint.CreateClient();
        var progress = new ListProgress<ImageBuildProgress>();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var clock = Stopwatch.StartNew();
        var reference = await new ImageBuilder(docker).BuildAsync("minimal", progress, cts.Token);
        output.WriteLine($"minimal build took {clock.Elapsed.TotalSeconds:F1}s");
        foreach (var p in progress.Items) output.WriteLine($"{p.Stage,-8} {p.Fraction,5:P0} {p.Message}");

        Assert.Equal("berth/minimal:latest", reference);
        Assert.Contains(progress.Items, p => p.Stage == "build" && p.Message.StartsWith("Step 1/", StringComparison.Ordinal));
        Assert.Contains(progress.Items, p => p.Stage == "build" && p.Fraction is > 0 and < 1);
        Assert.Equal("done", progress.Items[^1].Stage);

        var image = await docker.Images.InspectImageAsync(reference, cts.Token);
        var config = image.Config!;
        foreach (var (key, value) in ImageBuilder.LabelsFor("minimal"))
            Assert.Equal(value, config.Labels![key]);
        Assert.Contains("HOME=/home/work", config.Env!);
        Assert.Equal("/home/work", config.WorkingDir);
        Assert.True(string.IsNullOrEmpty(config.User), "the image leaves USER unset (root); Berth picks the uid");

        var run = await DockerRun.RunAsync(docker, reference,
            "id -u; echo hi; ls /home/work; pwd; echo \"$HOME\"; id -un; stat -c '%u:%g %a' /home/work /tmp; touch /home/work/f /tmp/f && echo writable",
            ct: cts.Token);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stdout}{run.Stderr}");
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // "ls /home/work" prints nothing: the home directory starts empty.
        Assert.Equal(["1000", "hi", "/home/work", "/home/work", "work", "1000:1000 755", "0:0 1777", "writable"], lines);
    }

    [Fact]
    public async Task A_failing_build_step_surfaces_as_ImageBuildException_with_dockers_message()
    {
        using var docker = DockerEndpoint.CreateClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var builder = new ImageBuilder(docker);
        await builder.BuildAsync("minimal", null, cts.Token);

        var context = new MemoryStream();
        using (var tar = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
        {
            var dockerfile = Encoding.UTF8.GetBytes("FROM berth/minimal:latest\nRUN echo about to fail && exit 3\n");
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(dockerfile) });
        }
        context.Position = 0;
        var progress = new ListProgress<ImageBuildProgress>();
        var e = await Assert.ThrowsAsync<ImageBuildException>(
            () => builder.BuildFromContextAsync(context, "berth/test-failing:latest", progress, cts.Token));
        Assert.Contains("returned a non-zero code: 3", e.Message);
        Assert.Contains(progress.Items, p => p.Message == "about to fail");
    }
}
