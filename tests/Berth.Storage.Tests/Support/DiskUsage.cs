using System.Diagnostics;
using Berth.Storage.FileSystem;
using Berth.Storage.Native;

namespace Berth.Storage.Tests.Support;

/// <summary>What the disk says about files, from outside the code under test: du, stat, ln.</summary>
public static class DiskUsage
{
    /// <summary>Bytes allocated below <paramref name="dir"/> as `du -s -B1` counts them (hard links once), less the directory's own blocks.</summary>
    public static long OfContents(string dir)
    {
        var total = long.Parse(Run("du", "-s", "-B1", dir).Split('\t')[0]);
        var self = long.Parse(Run("stat", "-c", "%b", dir).Trim()) * 512;
        return total - self;
    }

    public static StatInfo Stat(string path)
    {
        using var parent = SafeDir.OpenAbsolute(Path.GetDirectoryName(path)!);
        return parent.Stat(Path.GetFileName(path)) ?? throw new FileNotFoundException(path);
    }

    public static void HardLink(string existing, string link) => Run("ln", existing, link);

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} exited {p.ExitCode}");
    }
}
