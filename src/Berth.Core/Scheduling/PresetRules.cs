using System.Globalization;
using Berth.Core.Accounts;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Sessions;

namespace Berth.Core.Scheduling;

/// <summary>A resource preset is what a session could ask for: the same bounds as a session's own request.</summary>
public static class PresetRules
{
    public static Problem? Check(SaveResourcePresetRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return AccountRules.CheckProjectName(r.Name)
               ?? (r.ResourceGroup is not null ? AccountRules.CheckProjectName(r.ResourceGroup) is { } g ? g with { Field = "resourceGroup" } : null : null)
               ?? CheckCpu(r.Cpu)
               ?? (r.MemoryBytes is not { } mem
                   ? Problem.Invalid("memoryBytes", "required", "A preset needs a memory size (memoryBytes).")
                   : mem < ResourceRules.MinMemoryBytes
                       ? Problem.Invalid("memoryBytes", "memory-invalid", $"A preset needs at least {ResourceRules.MinMemoryBytes} bytes of memory (16 MiB).")
                       : null)
               ?? (r.ShmemBytes is { } shm && (shm < 0 || shm >= r.MemoryBytes)
                   ? Problem.Invalid("shmemBytes", "shmem-not-below-memory", "Shared memory must be 0 or more and smaller than memory.")
                   : null);
    }

    private static Problem? CheckCpu(double? cpu) => cpu switch
    {
        null => Problem.Invalid("cpu", "required", "A preset needs a CPU count (cpu)."),
        { } c when !double.IsFinite(c) || c <= 0 || c > ResourceRules.MaxCpu || Math.Abs(c * 100 - Math.Round(c * 100)) > 1e-6 =>
            Problem.Invalid("cpu", "cpu-invalid",
                $"{c.ToString(CultureInfo.InvariantCulture)} is not a valid CPU count: use a number above 0 and at most {ResourceRules.MaxCpu.ToString(CultureInfo.InvariantCulture)}, in steps of 0.01."),
        _ => null,
    };
}
