using System.CommandLine;

namespace Berth.Cli.Hosting;

/// <summary>The commands that run Berth's components (<c>server</c>, <c>manager</c>, <c>storage</c>).</summary>
public static class HostingCommands
{
    public static IEnumerable<Command> All() => [];
}
