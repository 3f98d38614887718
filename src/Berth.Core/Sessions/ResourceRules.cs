using System.Globalization;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Units;

namespace Berth.Core.Sessions;

/// <summary>What an image needs (from its catalog entry) to run at all, and the shared memory it would like.</summary>
public sealed record ImageResourceHints(double MinCpu, long MinMemoryBytes, long PreferredShmemBytes);

public sealed record ResolvedResources(double Cpu, long MemoryBytes, long ShmemBytes);

/// <summary>Turns what a user asked for (possibly nothing) into the resources a container gets.</summary>
public static class ResourceRules
{
    public const double DefaultCpu = 1;
    public const double MaxCpu = 256;
    public const long DefaultMemoryBytes = 1L << 30;
    public const long MinMemoryBytes = 16L << 20;
    public const long DefaultShmemBytes = 64L << 20;
    /// <summary>Process-count limit every session container gets.</summary>
    public const int PidsLimit = 4096;

    /// <summary>
    /// A preset under what was asked: each value the request leaves out comes from the preset (GPUs are never
    /// preset). The API applies it before <see cref="Resolve"/>, and the console's launcher does the same to check its form.
    /// </summary>
    public static ResourceRequestDto WithPreset(ResourceRequestDto? request, ResourcePresetDto preset)
    {
        ArgumentNullException.ThrowIfNull(preset);
        return new ResourceRequestDto(request?.Cpu ?? preset.Cpu, request?.MemoryBytes ?? preset.MemoryBytes,
            request?.ShmemBytes ?? preset.ShmemBytes, request?.CudaDevices);
    }

    /// <summary>
    /// Fills in defaults (cpu = max(1, image minimum); memory = max(1 GiB, image minimum);
    /// shmem = the image's preferred size or 64 MiB, halved until it is below memory) and checks what was asked.
    /// On a problem, <paramref name="resources"/> holds the defaults.
    /// </summary>
    public static Problem? Resolve(ResourceRequestDto? request, ImageResourceHints hints, out ResolvedResources resources)
    {
        ArgumentNullException.ThrowIfNull(hints);
        var cpu = request?.Cpu ?? Math.Max(DefaultCpu, hints.MinCpu);
        var memory = request?.MemoryBytes ?? Math.Max(DefaultMemoryBytes, hints.MinMemoryBytes);
        var shmem = request?.ShmemBytes ?? DefaultShmem(hints.PreferredShmemBytes, memory);
        resources = new ResolvedResources(cpu, memory, shmem);

        if (request?.Cpu is { } askedCpu)
        {
            if (!double.IsFinite(askedCpu) || askedCpu <= 0 || askedCpu > MaxCpu || !IsHundredth(askedCpu))
                return Problem.Invalid("resources.cpu", "cpu-invalid",
                    $"{Cpu(askedCpu)} is not a valid CPU count: use a number above 0 and at most {Cpu(MaxCpu)}, in steps of 0.01.");
            if (askedCpu < hints.MinCpu - 1e-9)
                return Problem.Invalid("resources.cpu", "cpu-below-minimum",
                    $"The image needs at least {Cpu(hints.MinCpu)} CPU; {Cpu(askedCpu)} was asked.");
        }
        if (request?.MemoryBytes is { } askedMemory)
        {
            if (askedMemory < MinMemoryBytes)
                return Problem.Invalid("resources.memoryBytes", "memory-invalid",
                    $"{Bytes(askedMemory)} of memory is too little: a session needs at least {ByteSize.Format(MinMemoryBytes)}.");
            if (askedMemory < hints.MinMemoryBytes)
                return Problem.Invalid("resources.memoryBytes", "memory-below-minimum",
                    $"The image needs at least {ByteSize.Format(hints.MinMemoryBytes)} of memory; {ByteSize.Format(askedMemory)} was asked.");
        }
        if (request?.ShmemBytes is { } askedShmem)
        {
            if (askedShmem < 0)
                return Problem.Invalid("resources.shmemBytes", "shmem-invalid",
                    $"Shared memory cannot be negative ({askedShmem} bytes); use 0 or more.");
            if (askedShmem >= memory)
                return Problem.Invalid("resources.shmemBytes", "shmem-not-below-memory",
                    $"Shared memory ({ByteSize.Format(askedShmem)}) must be smaller than the session's memory ({ByteSize.Format(memory)}).");
        }
        return null;
    }

    private static long DefaultShmem(long preferred, long memory)
    {
        var shmem = preferred > 0 ? preferred : DefaultShmemBytes;
        // Keep the default strictly below memory so a small memory request is never refused for a size the user did not ask for.
        while (shmem >= memory && shmem > 0) shmem /= 2;
        return shmem;
    }

    private static bool IsHundredth(double cpu)
    {
        var hundredths = cpu * 100;
        return Math.Abs(hundredths - Math.Round(hundredths)) < 1e-6;
    }

    private static string Cpu(double cpu) => cpu.ToString(CultureInfo.InvariantCulture);

    private static string Bytes(long bytes) => bytes < 0 ? $"{bytes} bytes" : ByteSize.Format(bytes);
}
