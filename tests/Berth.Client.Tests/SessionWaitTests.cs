using Berth.Cli;
using Berth.Cli.Commands;
using Berth.Core.Contracts;

namespace Berth.Client.Tests;

public sealed class SessionWaitTests
{
    internal static SessionDto Session(string status, string type = "interactive", int? exitCode = null, string? result = null,
        string? reason = null, IReadOnlyList<StatusChangeDto>? history = null, string name = "s1", Guid? id = null) =>
        new(id ?? Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001"), name, "a@b.c", type, "python", status, reason, [],
            new ResourcesDto(1, 1L << 30, 64L << 20), new Dictionary<string, string>(), null, DateTimeOffset.UnixEpoch, null, null,
            null, null, exitCode, result, [], history ?? []);

    [Theory]
    [InlineData("PENDING", false)]
    [InlineData("SCHEDULED", false)]
    [InlineData("PREPARING", false)]
    [InlineData("CREATING", false)]
    [InlineData("RUNNING", true)]
    [InlineData("TERMINATING", true)]
    [InlineData("TERMINATED", true)]
    [InlineData("CANCELLED", true)]
    [InlineData("ERROR", true)]
    public void Interactive_sessions_settle_when_running_or_ending(string status, bool settled) =>
        Assert.Equal(settled, SessionWait.IsSettled(Session(status)));

    [Theory]
    [InlineData("PENDING", false)]
    [InlineData("RUNNING", false)]
    [InlineData("TERMINATING", false)]
    [InlineData("TERMINATED", true)]
    [InlineData("CANCELLED", true)]
    [InlineData("ERROR", true)]
    public void Batch_sessions_settle_only_when_ended(string status, bool settled) =>
        Assert.Equal(settled, SessionWait.IsSettled(Session(status, "batch")));

    [Theory]
    [InlineData("RUNNING", BerthCli.ExitOk)]
    [InlineData("TERMINATING", BerthCli.ExitFailed)]
    [InlineData("TERMINATED", BerthCli.ExitFailed)]
    [InlineData("CANCELLED", BerthCli.ExitFailed)]
    [InlineData("ERROR", BerthCli.ExitFailed)]
    public void Interactive_exit_code(string status, int code)
    {
        var s = Session(status, reason: status == "RUNNING" ? null : "image pull failed");
        Assert.Equal(code, SessionWait.ExitCodeFor(s));
        if (code == 0) Assert.Null(SessionWait.FailureMessage(s));
        else Assert.Equal($"session s1 did not start: {status}: image pull failed", SessionWait.FailureMessage(s));
    }

    [Theory]
    [InlineData("TERMINATED", 0, "success", BerthCli.ExitOk)]
    [InlineData("TERMINATED", 3, "failure", BerthCli.ExitFailed)]
    [InlineData("TERMINATED", 0, null, BerthCli.ExitOk)]
    [InlineData("TERMINATED", null, null, BerthCli.ExitFailed)]
    [InlineData("TERMINATED", 1, null, BerthCli.ExitFailed)]
    [InlineData("ERROR", null, null, BerthCli.ExitFailed)]
    [InlineData("CANCELLED", null, null, BerthCli.ExitFailed)]
    [InlineData("ERROR", 0, "success", BerthCli.ExitFailed)]
    public void Batch_exit_code(string status, int? exitCode, string? result, int code) =>
        Assert.Equal(code, SessionWait.ExitCodeFor(Session(status, "batch", exitCode, result)));

    [Fact]
    public void Batch_failure_message_names_the_exit_code_and_reason()
    {
        Assert.Equal("batch session s1 ended TERMINATED with exit code 3 (failure): process exited",
            SessionWait.FailureMessage(Session("TERMINATED", "batch", 3, "failure", "process exited")));
        Assert.Equal("batch session s1 ended CANCELLED without an exit code: destroyed by user",
            SessionWait.FailureMessage(Session("CANCELLED", "batch", reason: "destroyed by user")));
        Assert.Null(SessionWait.FailureMessage(Session("TERMINATED", "batch", 0, "success")));
    }

    [Fact]
    public void Trail_shows_new_history_entries_once_and_chains_them()
    {
        var t0 = DateTimeOffset.UnixEpoch;
        StatusChangeDto C(string s, int sec) => new(s, null, t0.AddSeconds(sec));
        var trail = new StatusTrail();
        Assert.Equal(["PENDING"], trail.Update(Session("PENDING", history: [C("PENDING", 0)])).Select(c => c.Status));
        Assert.Empty(trail.Update(Session("PENDING", history: [C("PENDING", 0)])));
        Assert.Equal(["SCHEDULED", "PREPARING"], trail.Update(Session("PREPARING", history: [C("PENDING", 0), C("SCHEDULED", 1), C("PREPARING", 2)])).Select(c => c.Status));
        trail.Update(Session("RUNNING", history: [C("PENDING", 0), C("SCHEDULED", 1), C("PREPARING", 2), C("CREATING", 3), C("RUNNING", 4)]));
        Assert.Equal("PENDING → SCHEDULED → PREPARING → CREATING → RUNNING", trail.Chain);
    }

    [Fact]
    public void Trail_without_server_history_records_status_changes_as_seen()
    {
        var now = DateTimeOffset.UnixEpoch;
        var trail = new StatusTrail(() => now);
        Assert.Single(trail.Update(Session("PENDING")));
        Assert.Empty(trail.Update(Session("PENDING")));
        now = now.AddSeconds(3);
        var change = Assert.Single(trail.Update(Session("ERROR", reason: "no agent")));
        Assert.Equal(new StatusChangeDto("ERROR", "no agent", now), change);
        Assert.Equal("PENDING → ERROR", trail.Chain);
    }
}
