using System.Diagnostics;
using System.Globalization;

namespace Berth.Agent.Gpus;

public sealed record GpuDevice(int Index, string Uuid, string Name, long MemoryMiB);

/// <summary>Finds the node's NVIDIA GPUs the way an admin would: `nvidia-smi`, when it is installed.</summary>
public static class NvidiaSmi
{
    public const string Query = "--query-gpu=index,uuid,name,memory.total";

    /// <summary>Parses `nvidia-smi --query-gpu=index,uuid,name,memory.total --format=csv,noheader,nounits`.</summary>
    public static IReadOnlyList<GpuDevice> Parse(string csv)
    {
        var devices = new List<GpuDevice>();
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (fields.Length < 4 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)) continue;
            if (!fields[1].StartsWith("GPU-", StringComparison.Ordinal)) continue;
            long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var memory);
            devices.Add(new GpuDevice(index, fields[1], fields[2], memory));
        }
        return devices;
    }

    /// <summary>The GPUs nvidia-smi reports, or none when it is missing, fails or hangs.</summary>
    public static IReadOnlyList<GpuDevice> Detect(string executable = "nvidia-smi")
    {
        try
        {
            var psi = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(Query);
            psi.ArgumentList.Add("--format=csv,noheader,nounits");
            using var process = Process.Start(psi);
            if (process is null) return [];
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return [];
            }
            return process.ExitCode == 0 ? Parse(output.Result) : [];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return []; // not installed
        }
    }
}
