using System.Diagnostics;

namespace Berth.Integration.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs the real `berth` CLI as a user would, with its own config directory (one per simulated user).</summary>
public sealed class CliRunner(Uri endpoint)
{
    public string ConfigDirectory { get; } = Directory.CreateTempSubdirectory("berth-cli-").FullName;

    /// <summary>A CLI of its own, logged in as <paramref name="email"/> with `berth login`.</summary>
    public static async Task<CliRunner> LoginAsync(Uri endpoint, string email, string password)
    {
        var cli = new CliRunner(endpoint);
        var result = await cli.RunAsync("login", "--endpoint", endpoint.ToString(), "--email", email, "--password", password);
        if (result.ExitCode != 0) throw new InvalidOperationException($"login as {email} failed: {result}");
        return cli;
    }

    public async Task<CliResult> RunAsync(params string[] args) => await RunInAsync(null, args);

    public async Task<CliResult> RunInAsync(string? workingDirectory, params string[] args) => await RunCoreAsync(workingDirectory, null, args);

    /// <summary>Runs with <paramref name="stdin"/> as standard input (e.g. passwords for `--current-password-stdin`).</summary>
    public async Task<CliResult> RunWithInputAsync(string stdin, params string[] args) => await RunCoreAsync(null, stdin, args);

    private async Task<CliResult> RunCoreAsync(string? workingDirectory, string? stdin, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        psi.ArgumentList.Add(ServerProcess.CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["BERTH_CONFIG_DIR"] = ConfigDirectory;
        psi.Environment["BERTH_ENDPOINT"] = endpoint.ToString().TrimEnd('/');
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(ServerProcess.CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["BERTH_CONFIG_DIR"] = ConfigDirectory;
        psi.Environment["BERTH_ENDPOINT"] = endpoint.ToString().TrimEnd('/');
        return Process.Start(psi)!;
    }
}
