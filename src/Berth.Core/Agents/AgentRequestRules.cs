using System.Text.RegularExpressions;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Scheduling;

namespace Berth.Core.Agents;

/// <summary>
/// What an agent's sync (heartbeat), report and stats must carry. Every heartbeat field is stored in the
/// <c>agents</c> table, whose columns are NOT NULL and bounded, so a missing or oversized field is refused here
/// with the field's name instead of failing in the database.
/// </summary>
public static partial class AgentRequestRules
{
    public const int MaxAgentIdLength = 128;
    public const int MaxResourceGroupLength = 64;
    public const int MaxArchitectureLength = 32;
    public const int MaxVersionLength = 64;
    public const int MaxControlUrlLength = 2048;
    /// <summary>A capacity amount beyond any machine (cores, bytes, devices); larger ones are typos or attacks.</summary>
    public const decimal MaxCapacityAmount = 1e18m;

    // \z, not $: '$' also matches before a final newline.
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_.-]*\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9_.+-]+\z")]
    private static partial Regex TokenPattern();

    public static Problem? CheckAgentId(string? agentId) =>
        Required(agentId, "agentId", "the agent's id (--id)")
        ?? Longest(agentId!, "agentId", MaxAgentIdLength)
        ?? (IdPattern().IsMatch(agentId!) ? null
            : Problem.Invalid("agentId", "agent-id-invalid", $"{ProblemText.Quote(agentId)} is not an agent id: use letters, digits, '_', '.' and '-', starting with a letter or digit."));

    public static Problem? CheckHeartbeat(AgentHeartbeat? hb)
    {
        if (hb is null) return Problem.Invalid("body", "required", "A sync carries the agent's heartbeat as a JSON object.");
        return CheckAgentId(hb.AgentId)
               ?? Required(hb.ResourceGroup, "resourceGroup", "the resource group the agent serves (--resource-group, usually default)")
               ?? Longest(hb.ResourceGroup!, "resourceGroup", MaxResourceGroupLength)
               ?? Required(hb.Architecture, "architecture", "the node's CPU architecture, e.g. x64 or arm64")
               ?? Longest(hb.Architecture!, "architecture", MaxArchitectureLength)
               ?? Token(hb.Architecture!, "architecture")
               ?? Required(hb.Version, "version", "the agent's version, e.g. 1.0.0")
               ?? Longest(hb.Version!, "version", MaxVersionLength)
               ?? Token(hb.Version!, "version")
               ?? CheckCapacity(hb.Capacity)
               ?? CheckControlUrl(hb.ControlUrl)
               ?? CheckImages(hb.Images);
    }

    public static Problem? CheckCapacity(IReadOnlyDictionary<string, decimal>? capacity)
    {
        if (capacity is null) return null;
        foreach (var (slot, amount) in capacity)
        {
            if (!ResourceSlots.IsValidName(slot))
                return Problem.Invalid("capacity", "slot-name-invalid", $"{ProblemText.Quote(slot)} is not a resource slot name (e.g. cpu, mem, cuda.device).");
            if (amount < 0 || amount > MaxCapacityAmount)
                return Problem.Invalid($"capacity.{slot}", "capacity-invalid", $"A capacity is a number from 0 to {MaxCapacityAmount:0}.");
        }
        return null;
    }

    /// <summary>Null is allowed: an agent without a control API (the in-process one) is reached directly, or not at all.</summary>
    public static Problem? CheckControlUrl(string? url)
    {
        if (url is null) return null;
        if (url.Length > MaxControlUrlLength) return Longest(url, "controlUrl", MaxControlUrlLength);
        return Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" && string.IsNullOrEmpty(parsed.UserInfo)
            ? null
            : Problem.Invalid("controlUrl", "control-url-invalid", $"{ProblemText.Quote(url)} is not an http(s) URL without credentials; leave it null for an agent without a control API.");
    }

    private static Problem? CheckImages(IReadOnlyList<string>? images)
    {
        if (images is null) return null;
        for (var i = 0; i < images.Count; i++)
            if (string.IsNullOrWhiteSpace(images[i]) || images[i].Length > Images.ImageReferenceRules.MaxLength)
                return Problem.Invalid($"images[{i}]", "image-reference-invalid", $"Each image is a Docker reference of 1 to {Images.ImageReferenceRules.MaxLength} characters.");
        return null;
    }

    public static Problem? CheckReport(AgentReportRequest? report)
    {
        if (report is null) return Problem.Invalid("body", "required", "A report is a JSON object.");
        if (CheckAgentId(report.AgentId) is { } bad) return bad;
        var observations = report.Observations ?? [];
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            if (o is null) return Problem.Invalid($"observations[{i}]", "required", "An observation is a JSON object.");
            if (o.KernelId == Guid.Empty) return Problem.Invalid($"observations[{i}].kernelId", "required", "Each observation names its kernel.");
            if (!Enum.IsDefined(o.State)) return Problem.Invalid($"observations[{i}].state", "state-invalid", "Not a kernel state.");
        }
        return null;
    }

    public static Problem? CheckStats(AgentStatsRequest? stats)
    {
        if (stats is null) return Problem.Invalid("body", "required", "Stats are a JSON object.");
        if (CheckAgentId(stats.AgentId) is { } bad) return bad;
        var samples = stats.Samples ?? [];
        for (var i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            if (s is null) return Problem.Invalid($"samples[{i}]", "required", "A sample is a JSON object.");
            if (!Percent(s.CpuPercent, allowAboveHundred: true) || !Percent(s.MemPercent, true) || s.CudaPercent is { } cuda && !Percent(cuda, true))
                return Problem.Invalid($"samples[{i}]", "percent-invalid", "Utilization is a finite percentage from 0 up.");
        }
        return null;
    }

    private static bool Percent(double value, bool allowAboveHundred) =>
        double.IsFinite(value) && value >= 0 && (allowAboveHundred ? value <= 1e6 : value <= 100);

    private static Problem? Required(string? value, string field, string what) =>
        string.IsNullOrWhiteSpace(value) ? Problem.Invalid(field, "required", $"The agent must send {field}: {what}.") : null;

    private static Problem? Longest(string value, string field, int max) =>
        value.Length > max ? Problem.Invalid(field, "too-long", $"{field} is {value.Length} characters long; at most {max} are accepted.") : null;

    private static Problem? Token(string value, string field) =>
        TokenPattern().IsMatch(value) ? null
            : Problem.Invalid(field, "token-invalid", $"{ProblemText.Quote(value)} is not a valid {field}: use letters, digits, '_', '.', '+' and '-'.");
}
