using System.Diagnostics;
using Berth.Agent.Docker;
using Berth.Agent.Images;
using Xunit.Abstractions;

namespace Berth.Agent.Tests;

/// <summary>
/// Runs only when BERTH_TEST_PYTHON_IMAGE=1 or berth/python:latest already exists: the first build runs
/// debootstrap (minutes, needs root and a Debian mirror); later builds reuse the cached root file system.
/// </summary>
public sealed class PythonImageFactAttribute : FactAttribute
{
    public PythonImageFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("BERTH_TEST_PYTHON_IMAGE") == "1") return;
        try
        {
            using var docker = DockerEndpoint.CreateClient();
            docker.Images.InspectImageAsync(ImageBuilder.ReferenceFor("python")).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            Skip = "slow: set BERTH_TEST_PYTHON_IMAGE=1 to build berth/python (debootstrap, minutes), or build it first";
        }
    }
}

public sealed class PythonImageTests(ITestOutputHelper output)
{
    [PythonImageFact]
    [Trait("Category", "Slow")]
    public async Task Python_image_builds_and_pip_installs_into_home_as_uid_1000()
    {
        using var docker = DockerEndpoint.CreateClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var clock = Stopwatch.StartNew();
        var stages = new List<string>();
        var progress = new ListProgress<ImageBuildProgress>();
        var logged = new SyncProgress(p =>
        {
            progress.Report(p);
            if (stages.Count == 0 || stages[^1] != p.Stage) stages.Add(p.Stage);
            if (p.Stage != "debootstrap" || !p.Message.StartsWith("I: Retrieving ", StringComparison.Ordinal))
                output.WriteLine($"[{clock.Elapsed.TotalSeconds,7:F1}s] {p.Stage,-11} {(p.Fraction is { } f ? $"{f,4:P0}" : "    ")} {p.Message}");
        });

        var reference = await new ImageBuilder(docker).BuildAsync("python", logged, cts.Token);
        output.WriteLine($"build took {clock.Elapsed.TotalSeconds:F1}s; stages: {string.Join(" > ", stages)}");

        Assert.Equal("berth/python:latest", reference);
        Assert.Equal("done", progress.Items[^1].Stage);
        Assert.True(File.Exists(ImageBuilder.PythonRootfsTarball), "the debootstrap result is cached");

        var image = await docker.Images.InspectImageAsync(reference, cts.Token);
        var config = image.Config!;
        foreach (var (key, value) in ImageBuilder.LabelsFor("python"))
            Assert.Equal(value, config.Labels![key]);
        Assert.Contains("HOME=/home/work", config.Env!);
        Assert.Contains("LANG=C.UTF-8", config.Env!);
        Assert.Contains(config.Env!, e => e.StartsWith("PATH=/home/work/.local/bin:", StringComparison.Ordinal));
        Assert.Equal("/home/work", config.WorkingDir);
        output.WriteLine($"image size {image.Size >> 20} MiB");

        const string script = """
            set -e
            echo "UID=$(id -u) USER=$(id -un) HOME=$HOME PWD=$(pwd)"
            python3 -c 'import sys; print("PYTHON=" + sys.version.split()[0])'
            pip --version
            tmux -V
            echo "JUPYTER=$(jupyter notebook --version)"
            mkdir -p /tmp/alpha/alpha /tmp/beta/beta
            echo 'def hello(): return "alpha"' > /tmp/alpha/alpha/__init__.py
            printf 'from setuptools import setup\nsetup(name="alpha", version="1.0", packages=["alpha"])\n' > /tmp/alpha/setup.py
            printf 'def main():\n    print("beta says hi")\n' > /tmp/beta/beta/__init__.py
            printf 'from setuptools import setup\nsetup(name="beta", version="1.0", packages=["beta"], entry_points={"console_scripts": ["beta-hello=beta:main"]})\n' > /tmp/beta/setup.py
            echo "--- pip install --user"
            pip install --no-index --user /tmp/alpha 2>&1
            echo "--- pip install"
            pip install --no-index /tmp/beta 2>&1
            echo "---"
            python3 -c 'import alpha, beta; print("ALPHA=" + alpha.__file__); print("BETA=" + beta.__file__)'
            beta-hello
            command -v beta-hello
            """;
        var run = await DockerRun.RunAsync(docker, reference, script, user: "1000:1000", env: ["HOME=/home/work"], ct: cts.Token);
        output.WriteLine(run.Stdout);
        output.WriteLine(run.Stderr);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stdout}\n{run.Stderr}");
        var stdout = run.Stdout;
        Assert.Contains("UID=1000 USER=work HOME=/home/work PWD=/home/work", stdout);
        Assert.Contains("PYTHON=3.11.", stdout);
        Assert.Matches(@"pip \d+\.\d+(\.\d+)? from /usr/lib/python3/dist-packages/pip \(python 3\.11\)", stdout);
        Assert.Matches(@"tmux \d", stdout);
        Assert.Matches(@"JUPYTER=6\.\d", stdout);
        Assert.Contains("ALPHA=/home/work/.local/lib/python3.11/site-packages/alpha/__init__.py", stdout);
        Assert.Contains("BETA=/home/work/.local/lib/python3.11/site-packages/beta/__init__.py", stdout);
        // Without --user pip notices that it cannot write to the system site-packages.
        Assert.Contains("Defaulting to user installation because normal site-packages is not writeable", stdout);
        Assert.Contains("beta says hi", stdout);
        Assert.Contains("/home/work/.local/bin/beta-hello", stdout);
    }

    private sealed class SyncProgress(Action<ImageBuildProgress> report) : IProgress<ImageBuildProgress>
    {
        public void Report(ImageBuildProgress value) => report(value);
    }
}
