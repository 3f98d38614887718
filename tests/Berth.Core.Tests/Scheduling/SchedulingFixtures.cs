using Berth.Core.Scheduling;
using Berth.Core.Sessions;

namespace Berth.Core.Tests.Scheduling;

internal static class Fx
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static ResourceSlots S(string text) => ResourceSlots.Parse(text);

    public static Guid G(int n) => new(n, 0, 0, [0, 0, 0, 0, 0, 0, 0, 0]);

    public static PendingSession Session(int id, int owner = 1, string req = "cpu=1 mem=1g", int createdSec = 0,
        SessionType type = SessionType.Interactive, int containers = 1, DateTimeOffset? startsAt = null,
        string? pinned = null, string? arch = null) =>
        new(G(id), G(owner), $"sess-{id}", type, S(req), containers, T0.AddSeconds(createdSec), startsAt, pinned, arch);

    public static AgentState Agent(string id, string capacity, string occupied = "none", bool schedulable = true, string arch = "x86_64") =>
        new(id, S(capacity), S(occupied), schedulable, arch);

    public static UserUsage Usage(int owner, int live = 0, int pending = 0, string occupied = "none") =>
        new(G(owner), live, pending, S(occupied));
}
