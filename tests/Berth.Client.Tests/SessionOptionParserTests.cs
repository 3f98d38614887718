using System.CommandLine;
using Berth.Cli;
using Berth.Cli.Commands;
using Berth.Core.Contracts;

namespace Berth.Client.Tests;

public sealed class SessionOptionParserTests
{
    [Fact]
    public void Resources_parse_cpu_and_sizes()
    {
        var r = SessionOptionParsers.ParseResources(["cpu=2", "mem=4g", "shmem=256m"]);
        Assert.Equal(new ResourceRequestDto(2, 4L << 30, 256L << 20), r);

        Assert.Equal(new ResourceRequestDto(0.5, 1536L << 20, null), SessionOptionParsers.ParseResources(["cpu=0.5,memory=1.5GiB"]));
        Assert.Equal(new ResourceRequestDto(null, null, 64L << 20), SessionOptionParsers.ParseResources(["SHMEM=64m"]));
        Assert.Null(SessionOptionParsers.ParseResources([]));
        Assert.Equal(new ResourceRequestDto(null, null, null, 2), SessionOptionParsers.ParseResources(["cuda.device=2"]));
        Assert.Equal(new ResourceRequestDto(1, null, null, 1), SessionOptionParsers.ParseResources(["cpu=1,gpu=1"]));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("cpu=")]
    [InlineData("=2")]
    [InlineData("cpu=two")]
    [InlineData("cpu=0")]
    [InlineData("cpu=-1")]
    [InlineData("cpu=1e3")]
    [InlineData("mem=4x")]
    [InlineData("mem=0")]
    [InlineData("tpu=1")]
    [InlineData("cuda.device=-1")]
    [InlineData("gpu=1.5")]
    [InlineData("cpu=1,,mem=1g")]
    public void Bad_resources_are_refused_with_a_hint(string spec)
    {
        var e = Assert.Throws<FormatException>(() => SessionOptionParsers.ParseResources([spec]));
        Assert.StartsWith("-r ", e.Message);
    }

    [Fact]
    public void A_resource_given_twice_is_refused()
    {
        Assert.Contains("twice", Assert.Throws<FormatException>(() => SessionOptionParsers.ParseResources(["mem=1g", "memory=2g"])).Message);
        Assert.Contains("twice", Assert.Throws<FormatException>(() => SessionOptionParsers.ParseResources(["cpu=1,cpu=2"])).Message);
    }

    [Theory]
    [InlineData("data", "data", null, null)]
    [InlineData("data:ro", "data", null, "ro")]
    [InlineData("data:RW", "data", null, "rw")]
    [InlineData("data=/mnt/data", "data", "/mnt/data", null)]
    [InlineData("data=/mnt/data:wd", "data", "/mnt/data", "wd")]
    [InlineData("data=work/x", "data", "work/x", null)]
    [InlineData("data=/a=b:ro", "data", "/a=b", "ro")]
    [InlineData("data=/mnt/a:b", "data", "/mnt/a:b", null)]
    [InlineData(".cache=/root/.cache:rw", ".cache", "/root/.cache", "rw")]
    public void Mounts_split_a_trailing_permission_then_name_and_path(string spec, string folder, string? path, string? permission) =>
        Assert.Equal(new MountRequestDto(folder, path, permission), SessionOptionParsers.ParseMount(spec));

    [Theory]
    [InlineData("")]
    [InlineData(":ro")]
    [InlineData("=/mnt")]
    [InlineData("data=")]
    [InlineData("data=:ro")]
    [InlineData("data:r")]
    [InlineData("data:ro=/mnt")]
    public void Bad_mounts_are_refused_with_a_hint(string spec)
    {
        var e = Assert.Throws<FormatException>(() => SessionOptionParsers.ParseMount(spec));
        Assert.StartsWith("-m ", e.Message);
    }

    [Fact]
    public void Environment_splits_at_the_first_equals_and_a_later_key_wins()
    {
        var env = SessionOptionParsers.ParseEnvironment(["A=1", "URL=http://h/?a=b", "EMPTY=", "A=2"]);
        Assert.NotNull(env);
        Assert.Equal("2", env["A"]);
        Assert.Equal("http://h/?a=b", env["URL"]);
        Assert.Equal("", env["EMPTY"]);
        Assert.Equal(3, env.Count);
        Assert.Null(SessionOptionParsers.ParseEnvironment([]));
    }

    [Theory]
    [InlineData("NOEQUALS")]
    [InlineData("=value")]
    [InlineData("MY VAR=1")]
    public void Bad_environment_is_refused(string spec)
    {
        var e = Assert.Throws<FormatException>(() => SessionOptionParsers.ParseEnvironment([spec]));
        Assert.StartsWith("-e ", e.Message);
    }

    [Fact]
    public void A_full_command_line_makes_the_request()
    {
        var o = new SessionCommands.CreateOptions();
        var command = o.Command("create", "test");
        var r = command.Parse([
            "python", "-t", "job1", "--type", "batch", "-c", "python train.py --epochs=3",
            "-e", "A=1", "--env", "B=x=y",
            "-r", "cpu=2", "-r", "mem=4g", "--resource", "shmem=256m",
            "-m", "data=/data:ro", "--mount", "models",
        ]);
        Assert.Empty(r.Errors);
        var request = o.ToRequest(r);
        Assert.Equal("python", request.Image);
        Assert.Equal("job1", request.Name);
        Assert.Equal("batch", request.Type);
        Assert.Equal("python train.py --epochs=3", request.StartupCommand);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "x=y" }, request.Environment);
        Assert.Equal(new ResourceRequestDto(2, 4L << 30, 256L << 20), request.Resources);
        Assert.Equal([new MountRequestDto("data", "/data", "ro"), new MountRequestDto("models")], request.Mounts);
    }

    [Fact]
    public void Only_the_image_is_required()
    {
        var o = new SessionCommands.CreateOptions();
        var r = o.Command("create", "test").Parse(["python"]);
        Assert.Empty(r.Errors);
        Assert.Equal(new CreateSessionRequest("python"), o.ToRequest(r));
        Assert.Null(o.ToRequest(r).Resources);
        Assert.Null(o.ToRequest(r).Mounts);
        Assert.Null(o.ToRequest(r).Environment);
    }

    [Theory]
    [InlineData("-r", "cpu=lots")]
    [InlineData("-m", "data:xx=/y")]
    [InlineData("-e", "NOVALUE")]
    [InlineData("--type", "daemon")]
    public void Bad_options_are_parse_errors_so_the_cli_exits_2(string option, string value)
    {
        var o = new SessionCommands.CreateOptions();
        var r = o.Command("create", "test").Parse(["python", option, value]);
        Assert.NotEmpty(r.Errors);
    }

    [Fact]
    public async Task The_cli_exits_2_on_a_bad_resource()
    {
        var stderr = Console.Error;
        var capture = new StringWriter();
        Console.SetError(capture);
        try
        {
            Assert.Equal(BerthCli.ExitUsage, await BerthCli.RunAsync(["session", "create", "python", "-r", "mem=lots"]));
        }
        finally
        {
            Console.SetError(stderr);
        }
        Assert.Contains("-r mem='lots': give a size", capture.ToString());
    }

    [Fact]
    public void Exec_takes_everything_after_the_double_dash()
    {
        var r = BerthCli.BuildRoot().Parse(["session", "exec", "s1", "--", "ls", "-la", "--color=never"]);
        Assert.Empty(r.Errors);
        Assert.Equal(["ls", "-la", "--color=never"], r.GetValue<string[]>("command")!);
        Assert.Equal("s1", r.GetValue<string>("name"));
    }
}

public sealed class IdleOptionParserTests
{
    [Fact]
    public void Utilization_settings_parse_durations_percentages_and_operator()
    {
        var u = IdleOptionParsers.ParseUtilization("grace=10m, window=30s, cpu=5, mem=10%, cuda=2.5, op=OR");
        Assert.Equal(new UtilizationCheckDto(true, 600, 30, 5, 10, 2.5, "or"), u);
        Assert.Equal(new UtilizationCheckDto(Enabled: false), IdleOptionParsers.ParseUtilization("off"));
        Assert.Equal(0, IdleOptionParsers.ParseUtilization("grace=0,cpu=1").GracePeriodSeconds);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("cpu=lots")]
    [InlineData("speed=5")]
    [InlineData("window=0")]
    public void Bad_utilization_settings_are_refused(string text) =>
        Assert.Throws<FormatException>(() => IdleOptionParsers.ParseUtilization(text));

    [Fact]
    public void Network_timeout_takes_a_duration_or_off()
    {
        Assert.Equal(1200, IdleOptionParsers.ParseSecondsOrOff("20m"));
        Assert.Equal(0, IdleOptionParsers.ParseSecondsOrOff("off"));
        Assert.Equal(0, IdleOptionParsers.ParseSecondsOrOff("0"));
        Assert.Throws<FormatException>(() => IdleOptionParsers.ParseSecondsOrOff("soon"));
    }
}
