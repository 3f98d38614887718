using System.Diagnostics;

namespace Berth.Integration.Tests.Infrastructure;

/// <summary>
/// Runs third-party programs (curl, wget, aria2c, node with tus-js-client) that scripts/lib.sh's
/// ensure_transfer_clients installs. A missing one fails the test with that instruction rather than
/// skipping it, so a machine without them cannot pass silently.
/// </summary>
public static class ThirdPartyTools
{
    /// <summary>tests/Berth.Integration.Tests/ThirdParty in the source tree (package.json, the lock file, node_modules, scripts).</summary>
    public static string ScriptsDirectory { get; } = FindScriptsDirectory();

    public static async Task<CliResult> RunAsync(string program, params string[] args) =>
        await RunInAsync(null, program, args);

    public static async Task<CliResult> RunInAsync(string? workingDirectory, string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{program}' is not installed; run `source scripts/lib.sh && ensure_transfer_clients` ({e.Message}).");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', args)} ran for more than 3 minutes");
            }
            return new CliResult(process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>Fails with the install instruction when npm ci has not run in <see cref="ScriptsDirectory"/>.</summary>
    public static void RequireNodeModules()
    {
        if (!Directory.Exists(Path.Combine(ScriptsDirectory, "node_modules", "tus-js-client")))
            throw new InvalidOperationException(
                $"tus-js-client is not installed in {ScriptsDirectory}; run `source scripts/lib.sh && ensure_transfer_clients` (npm ci there).");
    }

    private static string FindScriptsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Berth.Integration.Tests", "ThirdParty");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        throw new DirectoryNotFoundException($"no tests/Berth.Integration.Tests/ThirdParty above {AppContext.BaseDirectory}");
    }
}
