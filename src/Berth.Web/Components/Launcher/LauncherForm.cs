using System.Globalization;
using Berth.Core.Contracts;
using Berth.Core.Sessions;
using Berth.Core.Units;

namespace Berth.Web.Components.Launcher;

/// <summary>
/// What the launcher's five steps collect, as the text the user typed (so a half-typed value survives a
/// step change and a reload), and the <see cref="CreateSessionRequest"/>s it becomes.
/// </summary>
public sealed class LauncherForm
{
    public const int ReviewStep = 5;
    public const int MaxCount = 100;
    public const string SingleNode = "single-node";
    /// <summary>The text form of <see cref="StartsAt"/>: what an HTML datetime-local input gives, read as UTC.</summary>
    public const string StartsAtFormat = "yyyy-MM-dd'T'HH:mm";

    public int Step { get; set; } = 1;
    public string Type { get; set; } = "interactive";
    public string Name { get; set; } = "";
    public string StartupCommand { get; set; } = "";
    /// <summary>Batch: not started before this UTC time (<see cref="StartsAtFormat"/>); "" → as soon as possible.</summary>
    public string StartsAt { get; set; } = "";
    /// <summary>Batch: maximum run time in seconds; "" → no limit.</summary>
    public string MaxRunSeconds { get; set; } = "";
    /// <summary>Admins: the email of the user the session is launched for; "" → the admin.</summary>
    public string OwnerEmail { get; set; } = "";
    public string Image { get; set; } = "";
    public string ResourceGroup { get; set; } = "";
    public string Preset { get; set; } = "";
    public string Cpu { get; set; } = "";
    public string Memory { get; set; } = "";
    public string Shmem { get; set; } = "";
    public string Gpu { get; set; } = "";
    public string Count { get; set; } = "1";
    public string ClusterMode { get; set; } = SingleNode;
    public string ClusterSize { get; set; } = "1";
    /// <summary>The thread count set in every <see cref="EnvironmentRules.HpcThreadVariables"/> entry; "" → the API's default, ceil(CPU).</summary>
    public string HpcThreads { get; set; } = "";
    /// <summary>Admins: the agent to pin the session to; "" → the scheduler chooses.</summary>
    public string AssignAgent { get; set; } = "";
    public List<EnvRow> Environment { get; } = [];
    /// <summary>Selected folders in selection order, each with its mount path ("" → the default /home/work/NAME).</summary>
    public List<MountChoice> Mounts { get; } = [];
    public string Ports { get; set; } = "";

    public bool IsBatch => Type == "batch";

    public MountChoice? MountOf(string folder) => Mounts.FirstOrDefault(m => m.Folder == folder);

    public void SetMounted(string folder, bool mounted)
    {
        var existing = MountOf(folder);
        if (mounted && existing is null) Mounts.Add(new MountChoice(folder));
        if (!mounted && existing is not null) Mounts.Remove(existing);
    }

    /// <summary>The ports as typed: comma or space separated; null for a token that is not a whole number.</summary>
    public IReadOnlyList<int?> ParsePorts() =>
        Ports.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int?)null).ToList();

    public static double? ParseCpu(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static long? ParseBytes(string text) => ByteSize.TryParse(text, out var b) ? b : null;

    public static int? ParseWhole(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static int? ParseGpu(string text) => ParseWhole(text);

    public static DateTimeOffset? ParseStartsAt(string text) =>
        DateTime.TryParseExact(text, [StartsAtFormat, "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>The variables as the API takes them: the rows (the last of a repeated name wins), then the HPC thread count where the rows leave it.</summary>
    public IReadOnlyDictionary<string, string>? ToEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in Environment.Where(r => r.Name.Length > 0)) env[row.Name] = row.Value;
        if (HpcThreads.Length > 0)
            foreach (var name in EnvironmentRules.HpcThreadVariables) env.TryAdd(name, HpcThreads);
        return env.Count == 0 ? null : env;
    }

    /// <summary>The requests the Launch button sends (one per session of <see cref="Count"/>); only meaningful once <see cref="LauncherValidation"/> found nothing.</summary>
    public IReadOnlyList<CreateSessionRequest> ToRequests()
    {
        var one = ToRequest();
        var count = ParseWhole(Count) ?? 1;
        if (count <= 1) return [one];
        // As `berth session create --count N`: NAME-1 … NAME-N, or N random names when none is given.
        return Enumerable.Range(1, count).Select(i => one with { Name = one.Name is null ? null : $"{one.Name}-{i}" }).ToList();
    }

    public CreateSessionRequest ToRequest()
    {
        var cpu = Cpu.Length == 0 ? null : ParseCpu(Cpu);
        var memory = Memory.Length == 0 ? null : ParseBytes(Memory);
        var shmem = Shmem.Length == 0 ? null : ParseBytes(Shmem);
        var gpu = Gpu.Length == 0 ? null : ParseGpu(Gpu);
        var resources = cpu is null && memory is null && shmem is null && gpu is null ? null : new ResourceRequestDto(cpu, memory, shmem, gpu);
        var ports = ParsePorts().Where(p => p is not null).Select(p => p!.Value).ToList();
        var clusterSize = ParseWhole(ClusterSize) ?? 1;
        return new CreateSessionRequest(
            Image, Name: Name.Length == 0 ? null : Name, Type: Type, StartupCommand: IsBatch ? StartupCommand : null,
            Environment: ToEnvironment(), Resources: resources,
            Mounts: Mounts.Count == 0 ? null : Mounts.Select(m => new MountRequestDto(m.Folder, m.Path.Length == 0 ? null : m.Path)).ToList(),
            ResourceGroup: ResourceGroup.Length == 0 ? null : ResourceGroup, Preset: Preset.Length == 0 ? null : Preset,
            StartsAt: IsBatch && StartsAt.Length > 0 ? ParseStartsAt(StartsAt) : null,
            BatchTimeoutSeconds: IsBatch && MaxRunSeconds.Length > 0 ? ParseCpu(MaxRunSeconds) : null,
            AssignAgent: AssignAgent.Length == 0 ? null : AssignAgent, OwnerEmail: OwnerEmail.Length == 0 ? null : OwnerEmail,
            ClusterSize: clusterSize == 1 ? null : clusterSize, ClusterMode: clusterSize == 1 && ClusterMode == SingleNode ? null : ClusterMode,
            PreopenPorts: ports.Count == 0 ? null : ports);
    }

    /// <summary>Refills the form from a remembered launch (recent history); variables history left out come back as names to retype.</summary>
    public static LauncherForm FromRequest(CreateSessionRequest r, IReadOnlyList<string>? omittedEnvironment = null)
    {
        var form = new LauncherForm
        {
            Type = r.Type ?? "interactive", Name = r.Name ?? "", StartupCommand = r.StartupCommand ?? "", Image = r.Image ?? "",
            StartsAt = r.StartsAt is { } at ? at.UtcDateTime.ToString(StartsAtFormat, CultureInfo.InvariantCulture) : "",
            MaxRunSeconds = r.BatchTimeoutSeconds is { } t ? t.ToString(CultureInfo.InvariantCulture) : "",
            OwnerEmail = r.OwnerEmail ?? "", ResourceGroup = r.ResourceGroup ?? "", Preset = r.Preset ?? "", AssignAgent = r.AssignAgent ?? "",
            Cpu = r.Resources?.Cpu is { } c ? c.ToString(CultureInfo.InvariantCulture) : "",
            Memory = r.Resources?.MemoryBytes is { } m ? ByteSize.Format(m) : "",
            Shmem = r.Resources?.ShmemBytes is { } s ? ByteSize.Format(s) : "",
            Gpu = r.Resources?.CudaDevices is { } g ? g.ToString(CultureInfo.InvariantCulture) : "",
            ClusterMode = r.ClusterMode ?? SingleNode,
            ClusterSize = (r.ClusterSize ?? 1).ToString(CultureInfo.InvariantCulture),
            Ports = string.Join(", ", r.PreopenPorts ?? []),
        };
        foreach (var (name, value) in r.Environment ?? new Dictionary<string, string>())
            form.Environment.Add(new EnvRow { Name = name, Value = value });
        foreach (var name in omittedEnvironment ?? [])
            form.Environment.Add(new EnvRow { Name = name });
        foreach (var mount in r.Mounts ?? [])
            if (mount.Folder is { } f) form.Mounts.Add(new MountChoice(f) { Path = mount.Path ?? "" });
        return form;
    }
}

public sealed class MountChoice(string folder)
{
    public string Folder { get; } = folder;
    public string Path { get; set; } = "";
}

/// <summary>One environment variable row as typed.</summary>
public sealed class EnvRow
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
    /// <summary>By the launch history's rule (<see cref="LaunchHistoryRules.LooksSecret"/>): its value never goes into the URL or history.</summary>
    public bool LooksSecret => LaunchHistoryRules.LooksSecret(Name);
}
