namespace Berth.Integration.Tests.Infrastructure;

public static class ServerLogWait
{
    /// <summary>
    /// Waits (bounded) until the server's log has a line containing <paramref name="text"/>: its logger writes in the
    /// background, so a line can come a moment after the answer that it is about.
    /// </summary>
    public static async Task AssertLogContainsAsync(this ServerProcess server, string text, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (!server.Log.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"the server's log never said \"{text}\"");
            await Task.Delay(100);
        }
    }
}
