using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;

namespace Berth.Integration.Tests;

[Collection(BerthCollection.Name)]
public class SessionSmokeTests(BerthFixture berth)
{
    [Fact]
    public async Task Batch_session_runs_and_reports_its_exit_code()
    {
        using var admin = berth.ClientFor(berth.Admin);
        await admin.ImportImageAsync(new ImportImageRequest("berth/minimal:latest", "minimal"));
        var created = await admin.CreateSessionAsync(new CreateSessionRequest("minimal", BerthFixture.UniqueName("batch"), "batch", "echo hi; exit 3"));
        SessionDto s = created;
        for (var i = 0; i < 150 && s.Status != "TERMINATED" && s.Status != "CANCELLED"; i++)
        {
            await Task.Delay(200);
            s = await admin.GetSessionAsync(created.Id.ToString());
        }
        Assert.True(s.Status == "TERMINATED", System.Text.Json.JsonSerializer.Serialize(s));
        Assert.Equal(3, s.ExitCode);
        Assert.Equal("failure", s.Result);
        Assert.Equal("batch-exited", s.StatusReason);
        var logs = new MemoryStream();
        await admin.StreamLogsAsync(created.Id.ToString(), false, logs);
        Assert.Contains("hi", System.Text.Encoding.UTF8.GetString(logs.ToArray()));
    }
}
