using System.Diagnostics;

namespace Berth.Agent.Images;

/// <summary>Runs a host tool, streaming its stdout and stderr lines to a callback.</summary>
internal static class ProcessRunner
{
    public static async Task<int> RunAsync(string fileName, IEnumerable<string> arguments, Action<string> onLine, CancellationToken ct)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        // Keep tools' messages parseable and non-interactive.
        info.Environment["LC_ALL"] = "C";
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";

        using var process = new Process { StartInfo = info };
        var gate = new object();
        void Line(string? line)
        {
            if (line is null) return;
            lock (gate) onLine(line);
        }
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ImageBuildException($"could not start {fileName}: {e.Message}", e);
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }
        // WaitForExitAsync returns after the redirected streams reached end of file.
        return process.ExitCode;
    }

    /// <summary>The first executable named <paramref name="name"/> in the candidates or on PATH.</summary>
    public static string? Find(string name, params string[] candidates)
    {
        foreach (var c in candidates)
            if (File.Exists(c)) return c;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
