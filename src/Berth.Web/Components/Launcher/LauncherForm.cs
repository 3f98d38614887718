using System.Globalization;
using Berth.Core.Contracts;
using Berth.Core.Units;

namespace Berth.Web.Components.Launcher;

/// <summary>
/// What the launcher's five steps collect, as the text the user typed (so a half-typed value survives a
/// step change and a reload), and the <see cref="CreateSessionRequest"/> it becomes.
/// </summary>
public sealed class LauncherForm
{
    public const int ReviewStep = 5;

    public int Step { get; set; } = 1;
    public string Type { get; set; } = "interactive";
    public string Name { get; set; } = "";
    public string StartupCommand { get; set; } = "";
    public string Image { get; set; } = "";
    public string Cpu { get; set; } = "";
    public string Memory { get; set; } = "";
    public string Shmem { get; set; } = "";
    public string Gpu { get; set; } = "";
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

    public static int? ParseGpu(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>The request the Launch button sends; only meaningful once <see cref="LauncherValidation"/> found nothing.</summary>
    public CreateSessionRequest ToRequest()
    {
        var cpu = Cpu.Length == 0 ? null : ParseCpu(Cpu);
        var memory = Memory.Length == 0 ? null : ParseBytes(Memory);
        var shmem = Shmem.Length == 0 ? null : ParseBytes(Shmem);
        var gpu = Gpu.Length == 0 ? null : ParseGpu(Gpu);
        var resources = cpu is null && memory is null && shmem is null && gpu is null ? null : new ResourceRequestDto(cpu, memory, shmem, gpu);
        var ports = ParsePorts().Where(p => p is not null).Select(p => p!.Value).ToList();
        return new CreateSessionRequest(
            Image, Name: Name.Length == 0 ? null : Name, Type: Type, StartupCommand: IsBatch ? StartupCommand : null,
            Resources: resources,
            Mounts: Mounts.Count == 0 ? null : Mounts.Select(m => new MountRequestDto(m.Folder, m.Path.Length == 0 ? null : m.Path)).ToList(),
            PreopenPorts: ports.Count == 0 ? null : ports);
    }

    /// <summary>Refills the form from a remembered launch (recent history).</summary>
    public static LauncherForm FromRequest(CreateSessionRequest r)
    {
        var form = new LauncherForm
        {
            Type = r.Type ?? "interactive", Name = r.Name ?? "", StartupCommand = r.StartupCommand ?? "", Image = r.Image ?? "",
            Cpu = r.Resources?.Cpu is { } c ? c.ToString(CultureInfo.InvariantCulture) : "",
            Memory = r.Resources?.MemoryBytes is { } m ? ByteSize.Format(m) : "",
            Shmem = r.Resources?.ShmemBytes is { } s ? ByteSize.Format(s) : "",
            Gpu = r.Resources?.CudaDevices is { } g ? g.ToString(CultureInfo.InvariantCulture) : "",
            Ports = string.Join(", ", r.PreopenPorts ?? []),
        };
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
