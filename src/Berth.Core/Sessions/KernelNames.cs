using Berth.Core.Problems;

namespace Berth.Core.Sessions;

/// <summary>
/// The names of a session's containers: main1, then sub1, sub2 … in a cluster session. They are the containers'
/// hostnames and what logs and exec take to pick one container.
/// </summary>
public static class KernelNames
{
    public const string Main = "main1";

    public static IEnumerable<string> Of(int clusterSize) => Enumerable.Range(0, Math.Max(clusterSize, 1)).Select(i => i == 0 ? Main : $"sub{i}");

    /// <summary>Null when <paramref name="kernel"/> is one of the session's containers (or null: the main one).</summary>
    public static Problem? Check(string? kernel, string sessionName, int clusterSize, string field = "kernel")
    {
        if (kernel is null || Of(clusterSize).Contains(kernel, StringComparer.Ordinal)) return null;
        return NotFound(kernel, sessionName, clusterSize, field);
    }

    public static Problem NotFound(string kernel, string sessionName, int clusterSize, string field = "kernel") =>
        Problem.NotFound("kernel-not-found",
            $"Session '{sessionName}' has no container named {ProblemText.Quote(kernel)} (it has {string.Join(", ", Of(clusterSize))}).", field);
}
