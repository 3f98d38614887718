using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Sessions;

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

    public static IReadOnlyList<LauncherIssue> Check(LauncherForm form, IReadOnlyList<ImageDto> images)
    {
        var issues = new List<LauncherIssue>();
        void Add(int step, Problem? p) { if (p is not null) issues.Add(new LauncherIssue(step, p.Field ?? "", p.Detail)); }

        // Step 1: type and name.
        if (form.Name.Length > 0) Add(1, SessionNameRules.Check(form.Name));
        if (form.IsBatch && string.IsNullOrWhiteSpace(form.StartupCommand))
            issues.Add(new LauncherIssue(1, "startupCommand", "A batch session needs a startup command to run."));

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
            Add(2, ResourceRules.Resolve(request, new ImageResourceHints(image.MinCpu, image.MinMemoryBytes, image.PreferredShmemBytes), out _));
        }

        // Step 3: mount paths, each safe and none inside another.
        var targets = new List<(string Folder, string Target)>();
        for (var i = 0; i < form.Mounts.Count; i++)
        {
            var m = form.Mounts[i];
            var problem = MountRules.ResolveTarget(m.Path.Length == 0 ? null : m.Path, m.Folder, $"mounts[{i}].path", out var target);
            if (problem is not null) { Add(3, problem with { Detail = $"{m.Folder}: {problem.Detail}" }); continue; }
            var clash = targets.FirstOrDefault(t => MountRules.Overlaps(t.Target, target));
            if (clash.Folder is not null)
                issues.Add(new LauncherIssue(3, $"mounts[{i}].path", $"{m.Folder} would be mounted at {target}, which overlaps {clash.Folder} at {clash.Target}."));
            targets.Add((m.Folder, target));
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
}
