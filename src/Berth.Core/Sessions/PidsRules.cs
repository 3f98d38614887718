namespace Berth.Core.Sessions;

/// <summary>
/// How many processes (threads count too: the kernel's pids controller counts tasks) one session container may have,
/// so that the sessions of one node together cannot take the host's process table. Each session gets a share of
/// half the host's <c>kernel.pid_max</c> in proportion to its share of the node's memory — the scheduler never lets
/// the sessions' memory pass the node's, so the shares never add up to more than that half; the other half stays for
/// the host (systemd, Docker, the agent). The share is clamped to <see cref="Floor"/>..<see cref="ResourceRules.PidsLimit"/>.
/// </summary>
public static class PidsRules
{
    /// <summary>A session this small still runs a shell, tmux and a few tools. Only sessions whose memory share
    /// would give them fewer get more than their share (see docs/security.md for the worst case).</summary>
    public const long Floor = 64;

    /// <summary>The fraction of pid_max left to sessions; the rest is the host's.</summary>
    public const double SessionShare = 0.5;

    /// <summary>Linux's default pid_max, assumed when the agent cannot read /proc/sys/kernel/pid_max.</summary>
    public const long DefaultPidMax = 32768;

    /// <param name="pidMax">The host's <c>/proc/sys/kernel/pid_max</c>.</param>
    /// <param name="nodeMemoryBytes">The memory the agent offers to sessions (its capacity).</param>
    /// <param name="sessionMemoryBytes">The container's memory limit.</param>
    /// <param name="ceiling">The most any session gets (the manager's <see cref="ResourceRules.PidsLimit"/>).</param>
    public static long ForSession(long pidMax, long nodeMemoryBytes, long sessionMemoryBytes, long ceiling = ResourceRules.PidsLimit)
    {
        if (pidMax <= 0) pidMax = DefaultPidMax;
        if (ceiling <= 0) ceiling = ResourceRules.PidsLimit;
        if (nodeMemoryBytes <= 0 || sessionMemoryBytes <= 0) return Math.Min(Floor, ceiling);
        var fraction = Math.Min(1.0, (double)sessionMemoryBytes / nodeMemoryBytes);
        var share = (long)Math.Floor(pidMax * SessionShare * fraction);
        return Math.Clamp(share, Math.Min(Floor, ceiling), ceiling);
    }
}
