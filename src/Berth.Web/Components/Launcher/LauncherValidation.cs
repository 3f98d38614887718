using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Sessions;
using Berth.Core.Validation;

namespace Berth.Web.Components.Launcher;

/// <summary>One thing wrong with the form: the step it belongs to, the API field it names, and why.</summary>
public sealed record LauncherIssue(int Step, string Field, string Message);

/// <summary>
/// Checks the form with the same Berth.Core rules the manager applies to <c>POST /api/sessions</c>, so the review
/// never calls a form valid that the API then refuses (only what needs the server's state, such as quotas or
/// scheduling, is left to the API).
/// </summary>
public static class LauncherValidation
{
    /// <summary>The API's limit on whole GPUs per session (SessionService), kept beside the form's other checks.</summary>
    public const int MaxGpus = 16;

    /// <summary>The API's cluster size limit (SessionService).</summary>
    public const int MaxClusterSize = 64;

    /// <param name="presets">The chosen group's presets: a chosen one fills in what the form leaves empty, as the API does.</param>
    public static IReadOnlyList<LauncherIssue> Check(LauncherForm form, IReadOnlyList<ImageDto> images, IReadOnlyList<ResourcePresetDto>? presets = null)
    {
        var issues = new List<LauncherIssue>();
        void Add(int step, Problem? p) { if (p is not null) issues.Add(new LauncherIssue(step, p.Field ?? "", p.Detail)); }

        // Step 1: type and name.
        if (form.Name.Length > 0) Add(1, SessionNameRules.Check(form.Name));
        if (form.IsBatch && string.IsNullOrWhiteSpace(form.StartupCommand))
            issues.Add(new LauncherIssue(1, "startupCommand", "A batch session needs a startup command to run."));
        if (form.IsBatch && form.StartsAt.Length > 0 && LauncherForm.ParseStartsAt(form.StartsAt) is null)
            issues.Add(new LauncherIssue(1, "startsAt", $"'{form.StartsAt}' is not a date and time (UTC), e.g. 2030-01-31T09:00."));
        if (form.IsBatch && form.MaxRunSeconds.Length > 0)
        {
            var seconds = LauncherForm.ParseCpu(form.MaxRunSeconds);
            if (seconds is null) issues.Add(new LauncherIssue(1, "batchTimeoutSeconds", $"'{form.MaxRunSeconds}' is not a number of seconds."));
            else Add(1, DurationRules.CheckSeconds(seconds, "batchTimeoutSeconds"));
        }

        // Step 2: environment and resources.
        var image = images.FirstOrDefault(i => i.Name == form.Image);
        if (image is null)
            issues.Add(new LauncherIssue(2, "image", form.Image.Length == 0 ? "Choose an environment." : $"There is no image '{form.Image}' you may use."));
        var cpu = LauncherForm.ParseCpu(form.Cpu);
        var memory = LauncherForm.ParseBytes(form.Memory);
        var shmem = LauncherForm.ParseBytes(form.Shmem);
        var gpu = LauncherForm.ParseGpu(form.Gpu);
        if (form.Cpu.Length > 0 && cpu is null) issues.Add(new LauncherIssue(2, "resources.cpu", $"'{form.Cpu}' is not a number of CPUs."));
        if (form.Memory.Length > 0 && memory is null) issues.Add(new LauncherIssue(2, "resources.memoryBytes", $"'{form.Memory}' is not a size (e.g. 4g, 512m)."));
        if (form.Shmem.Length > 0 && shmem is null) issues.Add(new LauncherIssue(2, "resources.shmemBytes", $"'{form.Shmem}' is not a size (e.g. 64m)."));
        if (form.Gpu.Length > 0 && (gpu is null || gpu > MaxGpus))
            issues.Add(new LauncherIssue(2, "resources.cudaDevices", $"Ask for 0 to {MaxGpus} whole GPUs."));
        if (image is not null && issues.All(i => i.Step != 2))
        {
            var request = new ResourceRequestDto(form.Cpu.Length == 0 ? null : cpu, form.Memory.Length == 0 ? null : memory,
                form.Shmem.Length == 0 ? null : shmem);
            if (presets?.FirstOrDefault(p => p.Name == form.Preset) is { } preset) request = ResourceRules.WithPreset(request, preset);
            Add(2, ResourceRules.Resolve(request, new ImageResourceHints(image.MinCpu, image.MinMemoryBytes, image.PreferredShmemBytes), out _));
        }

        CheckEnvironment(form, issues);
        var count = LauncherForm.ParseWhole(form.Count);
        if (count is null or < 1 or > LauncherForm.MaxCount)
            issues.Add(new LauncherIssue(2, "count", $"Launch 1 to {LauncherForm.MaxCount} sessions at once."));
        var clusterSize = LauncherForm.ParseWhole(form.ClusterSize);
        if (clusterSize is null or < 1 or > MaxClusterSize)
            issues.Add(new LauncherIssue(2, "clusterSize", $"A cluster has 1 to {MaxClusterSize} containers."));
        if (form.ClusterMode != LauncherForm.SingleNode)
            issues.Add(new LauncherIssue(2, "clusterMode", "Only single-node clusters can be launched here (multi-node needs Docker swarm)."));
        if (form.HpcThreads.Length > 0 && LauncherForm.ParseWhole(form.HpcThreads) is null or 0)
            issues.Add(new LauncherIssue(2, "hpcThreads", "The thread count is a whole number from 1."));

        // Step 3: mount paths, each safe and none inside another.
        var targets = new List<MountTarget>();
        for (var i = 0; i < form.Mounts.Count; i++)
        {
            var m = form.Mounts[i];
            var problem = MountRules.ResolveTargetAmong(i, m.Folder, m.Path.Length == 0 ? null : m.Path, targets, out var target);
            if (problem is not null) { Add(3, problem with { Detail = $"{m.Folder}: {problem.Detail}" }); continue; }
            targets.Add(new MountTarget(m.Folder, target));
        }

        // Step 4: preopen ports.
        var ports = form.ParsePorts();
        var bad = ports.Select((p, i) => (p, i)).FirstOrDefault(x => x.p is null);
        if (ports.Any(p => p is null))
            issues.Add(new LauncherIssue(4, $"preopenPorts[{bad.i}]", "Ports are whole numbers, separated by commas or spaces."));
        else
            Add(4, PreopenPortRules.Check(ports.Select(p => p!.Value).ToList(), image?.ServicePorts.Select(s => s.ContainerPort).ToList() ?? []));
        return issues;
    }

    /// <summary>The rows as the API would get them, under the API's own rule (EnvironmentRules), each problem under its row's name.</summary>
    private static void CheckEnvironment(LauncherForm form, List<LauncherIssue> issues)
    {
        var named = form.Environment.Where(r => r.Name.Length > 0).ToList();
        if (form.Environment.Any(r => r.Name.Length == 0 && r.Value.Length > 0))
            issues.Add(new LauncherIssue(2, "environment", "An environment variable needs a name."));
        var repeated = named.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            issues.Add(new LauncherIssue(2, "environment." + repeated.Key, $"'{repeated.Key}' is set twice; keep one row."));
        // One row at a time, so that every bad name is flagged, not only the first the API would name.
        foreach (var row in named)
            if (EnvironmentRules.Check(new Dictionary<string, string> { [row.Name] = row.Value }) is { } p)
                issues.Add(new LauncherIssue(2, p.Field ?? "environment", p.Detail));
        if (named.Count > EnvironmentRules.MaxVariables && EnvironmentRules.Check(form.ToEnvironment()) is { } tooMany)
            issues.Add(new LauncherIssue(2, tooMany.Field ?? "environment", tooMany.Detail));
    }
}
