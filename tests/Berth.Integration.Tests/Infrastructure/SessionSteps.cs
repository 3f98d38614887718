using System.Text.Json;
using static Berth.Integration.Tests.Infrastructure.CliAssert;

namespace Berth.Integration.Tests.Infrastructure;

/// <summary>The steps of a session's life as a user types them.</summary>
public static class SessionSteps
{
    public static async Task<JsonElement> InfoAsync(CliRunner cli, string name) =>
        Json(await cli.RunAsync("session", "info", name, "--json"));

    /// <summary>Waits until the session reaches one of the given statuses (polling `info`, as a script would).</summary>
    public static async Task<JsonElement> WaitForAsync(CliRunner cli, string name, params string[] statuses)
    {
        JsonElement info = default;
        for (var i = 0; i < 300; i++)
        {
            info = await InfoAsync(cli, name);
            if (statuses.Contains(info.GetProperty("status").GetString())) return info;
            await Task.Delay(200);
        }
        throw new TimeoutException($"session {name} never reached {string.Join("/", statuses)}: {info}");
    }

    public static async Task<string> ExecAsync(CliRunner cli, string name, params string[] command)
    {
        var result = await cli.RunAsync(["session", "exec", name, "--", .. command]);
        Assert.True(result.ExitCode == 0, $"exec {string.Join(' ', command)} failed: {result}");
        return result.Stdout;
    }

    public static async Task DestroyAsync(CliRunner cli, string name)
    {
        Succeeded(await cli.RunAsync("session", "destroy", name));
        await WaitForAsync(cli, name, "TERMINATED", "CANCELLED");
    }
}
