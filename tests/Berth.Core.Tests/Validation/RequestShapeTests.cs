using Berth.Core.Agents;
using Berth.Core.Contracts;
using Berth.Core.Validation;

namespace Berth.Core.Tests.Validation;

public class RequestShapeTests
{
    [Fact]
    public void A_name_with_a_newline_or_NUL_is_refused_naming_the_json_path()
    {
        var p = RequestShape.Check(new CreateSessionRequest("minimal", Mounts: [new MountRequestDto("ok"), new MountRequestDto("a\0b")]));
        Assert.NotNull(p);
        Assert.Equal("mounts[1].folder", p.Field);
        Assert.Equal("control-character", p.Rule);
        Assert.Contains("'a\\u0000b'", p.Detail);

        Assert.Equal("email", RequestShape.Check(new LoginRequest("a\nfail: forged@x", "pw"))?.Field);
    }

    [Fact]
    public void Long_single_line_fields_are_refused_without_echoing_them()
    {
        var huge = new string('e', 100_000);
        var p = RequestShape.Check(new LoginRequest(huge + "@x.test", "pw"));
        Assert.NotNull(p);
        Assert.Equal(("email", "too-long"), (p.Field, p.Rule));
        Assert.True(p.Detail.Length < 200, p.Detail);
    }

    [Fact]
    public void Free_text_fields_may_span_lines_but_not_hold_NUL()
    {
        Assert.Null(RequestShape.Check(new CreateSessionRequest("minimal", Type: "batch", StartupCommand: "echo a\n\techo b\r\n")));
        Assert.Null(RequestShape.Check(new CreateSessionRequest("minimal", Environment: new Dictionary<string, string> { ["MULTI"] = "x\ny" })));
        Assert.Equal("startupCommand", RequestShape.Check(new CreateSessionRequest("minimal", StartupCommand: "a\0b"))?.Field);
        Assert.Equal("environment.K", RequestShape.Check(new CreateSessionRequest("minimal", Environment: new Dictionary<string, string> { ["K"] = "\u0007" }))?.Field);
        Assert.Equal("too-long", RequestShape.Check(new CreateSessionRequest("minimal", StartupCommand: new string('c', 64 * 1024 + 1)))?.Rule);
    }

    [Fact]
    public void Map_keys_are_single_lines_too()
    {
        var p = RequestShape.Check(new CreateSessionRequest("minimal", Environment: new Dictionary<string, string> { ["A\nB"] = "v" }));
        Assert.Equal(("environment", "control-character"), (p?.Field, p?.Rule));
    }

    [Fact]
    public void Container_logs_may_hold_any_character_but_fields_around_them_may_not()
    {
        var logs = new AgentReportRequest("agent-1", [new KernelObservation(Guid.NewGuid(), KernelObservedState.Removed, Logs: "\u001b[31mred\0\u0007")]);
        Assert.Null(RequestShape.Check(logs));
        var reason = new AgentReportRequest("agent-1", [new KernelObservation(Guid.NewGuid(), KernelObservedState.Failed, Reason: "x\0")]);
        Assert.Equal("observations[0].reason", RequestShape.Check(reason)?.Field);
    }

    [Fact]
    public void Unpaired_surrogates_are_refused_because_no_database_can_store_them()
    {
        Assert.Equal("text-invalid", RequestShape.Check(new CreateVFolderRequest("a\ud800"))?.Rule);
        Assert.Null(RequestShape.Check(new CreateVFolderRequest("emoji-😀")));
    }

    [Fact]
    public void A_route_value_is_checked_as_one_line()
    {
        Assert.Equal(("folder", "control-character"), (RequestShape.CheckLine("x\ny", "folder")?.Field, RequestShape.CheckLine("x\ny", "folder")?.Rule));
        Assert.Null(RequestShape.CheckLine(null, "folder"));
        Assert.Equal("too-long", RequestShape.CheckLine(new string('a', 5000), "path", 4096)?.Rule);
    }

    [Fact]
    public void A_valid_request_passes()
    {
        Assert.Null(RequestShape.Check(new CreateSessionRequest("python", "work-1", "interactive",
            Resources: new ResourceRequestDto(2, 4L << 30), Mounts: [new MountRequestDto("data", "/data", "ro")], PreopenPorts: [8080])));
        Assert.Null(RequestShape.Check(null));
    }
}
