using Berth.Agent.Images;
using Docker.DotNet.Models;

namespace Berth.Agent.Tests;

public sealed class ParsingTests
{
    [Fact]
    public void Build_messages_map_to_progress_with_step_fractions_and_errors()
    {
        var seen = new ListProgress<ImageBuildProgress>();
        var sink = new DockerMessageSink("build", seen);
        sink.Report(new JSONMessage { Stream = "Step 2/4 : RUN true\n" });
        sink.Report(new JSONMessage { Stream = "\u001b[91m+ echo hi\n\u001b[0m" });
        sink.Report(new JSONMessage { Status = "Downloading", ID = "abc", Progress = new JSONProgress { Current = 50, Total = 200 } });
        sink.Report(new JSONMessage { Aux = new ObjectExtensionData { ExtensionData = new Dictionary<string, object> { ["ID"] = "sha256:feed" } } });
        Assert.Null(sink.Error);
        sink.Report(new JSONMessage { Error = new JSONError { Code = 1, Message = "The command '/bin/sh -c false' returned a non-zero code: 1" } });

        Assert.Equal("The command '/bin/sh -c false' returned a non-zero code: 1", sink.Error);
        Assert.Equal("sha256:feed", sink.ImageId);
        Assert.Equal(
            [
                new ImageBuildProgress("build", "Step 2/4 : RUN true", 0.25),
                new ImageBuildProgress("build", "+ echo hi", null),
                new ImageBuildProgress("build", "abc: Downloading", 0.25),
                new ImageBuildProgress("build", "The command '/bin/sh -c false' returned a non-zero code: 1", null),
            ],
            seen.Items);
    }

    [Fact]
    public void Deb822_sources_pick_the_enabled_deb_entry_for_the_suite()
    {
        const string text = """
            Types: deb-src
            URIs: http://src.example/debian
            Suites: bookworm

            Types: deb
            URIs: http://off.example/debian
            Suites: bookworm
            Enabled: no

            Types: deb
            # a comment
            URIs: http://mirror.example/debian/
            Suites: bookworm bookworm-updates
            Components: main

            Types: deb
            URIs: http://security.example/debian-security
            Suites: bookworm-security
            """;
        Assert.Equal("http://mirror.example/debian/", AptMirror.FromDeb822(text, "bookworm"));
        Assert.Equal("http://security.example/debian-security", AptMirror.FromDeb822(text, "bookworm-security"));
        Assert.Null(AptMirror.FromDeb822(text, "trixie"));
    }

    [Fact]
    public void One_line_sources_skip_options_comments_and_other_suites()
    {
        const string text = """
            # deb http://commented.example/debian bookworm main
            deb-src http://src.example/debian bookworm main
            deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main
            deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian bookworm main contrib
            """;
        Assert.Equal("http://mirror.example/debian", AptMirror.FromOneLine(text, "bookworm"));
        Assert.Null(AptMirror.FromOneLine(text, "trixie"));
    }

    [Fact]
    public void Mirror_lookup_reads_the_apt_directory_and_falls_back_to_deb_debian_org()
    {
        var dir = Directory.CreateTempSubdirectory("berth-apt-");
        try
        {
            Assert.Equal(AptMirror.Default, AptMirror.Find("bookworm", dir.FullName));
            Directory.CreateDirectory(Path.Combine(dir.FullName, "sources.list.d"));
            File.WriteAllText(Path.Combine(dir.FullName, "sources.list.d", "other.list.disabled"), "deb http://no.example/debian bookworm main\n");
            File.WriteAllText(Path.Combine(dir.FullName, "sources.list.d", "debian.sources"),
                "Types: deb\nURIs: http://yes.example/debian/\nSuites: bookworm\nComponents: main\n");
            if (Environment.GetEnvironmentVariable("BERTH_DEBIAN_MIRROR") is null)
                Assert.Equal("http://yes.example/debian", AptMirror.Find("bookworm", dir.FullName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
