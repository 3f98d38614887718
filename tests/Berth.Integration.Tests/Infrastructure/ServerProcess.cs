using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Berth.Integration.Tests.Infrastructure;

/// <summary>
/// A real `berth server` in its own process, started the way an admin starts it, so that tests see
/// what users see (and can measure its memory or kill it).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string AdminEmail = "admin@berth.test";
    public const string AdminPassword = "admin-password-for-tests";

    private readonly Process _process;
    private readonly List<string> _log = [];

    public Uri Endpoint { get; }
    public string DataDirectory { get; }
    public int ProcessId => _process.Id;

    private ServerProcess(Process process, Uri endpoint, string dataDirectory, string agentId, int port)
    {
        _process = process;
        Endpoint = endpoint;
        DataDirectory = dataDirectory;
        AgentId = agentId;
        Port = port;
    }

    public string AgentId { get; private set; }

    /// <summary>Pass as the agent id to start the server as an admin would, with the id it makes for its installation.</summary>
    public const string InstallationAgentId = "(installation)";
    public int Port { get; }

    /// <summary>SIGKILL, as a crash or the OOM killer would: no shutdown code runs.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "berth.dll");

    /// <summary>
    /// Starts a server. Each test server gets its own agent id so that its agent never touches containers
    /// of another server on the same Docker engine (a developer's own `berth server`, or a parallel run).
    /// </summary>
    /// <param name="extraArgs">More `berth server` arguments, e.g. <c>--no-agent</c>.</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string?> settings, string? agentId = null, int? port = null,
        IReadOnlyList<string>? extraArgs = null)
    {
        // A port found free can be taken by someone else before the server binds it; then try another.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(dataDirectory, settings, agentId, port ?? FreePort(), extraArgs);
            }
            catch (InvalidOperationException e) when (port is null && attempt < 3 && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    private static async Task<ServerProcess> StartOnceAsync(string dataDirectory, IReadOnlyDictionary<string, string?> settings, string? agentId, int port,
        IReadOnlyList<string>? extraArgs)
    {
        var ownAgentId = agentId == InstallationAgentId;
        agentId = ownAgentId ? null : agentId ?? "test-" + Guid.NewGuid().ToString("N")[..10];
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { CliDll, "server", "--data-dir", dataDirectory, "--listen", $"127.0.0.1:{port}" }) psi.ArgumentList.Add(a);
        foreach (var a in extraArgs ?? []) psi.ArgumentList.Add(a);
        psi.Environment["BERTH_ADMIN_EMAIL"] = AdminEmail;
        psi.Environment["BERTH_ADMIN_PASSWORD"] = AdminPassword;
        if (!ownAgentId) psi.Environment["BERTH_Agent__Id"] = agentId;
        // Tests that are not about capacity should never wait for it: declare more than the 2-core machine has.
        psi.Environment["BERTH_Agent__Cpu"] = "64";
        psi.Environment["BERTH_Agent__MemoryBytes"] = (256L << 30).ToString();
        foreach (var (key, value) in settings) psi.Environment["BERTH_" + key.Replace(":", "__")] = value;

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the server");
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory, agentId ?? "", port);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitHealthyAsync();
        if (ownAgentId) server.AgentId = (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "agent-id"))).Trim();
        return server;
    }

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.Add(line);
            // Also on disk, so a failing test run leaves the server's side of the story to read.
            File.AppendAllText(Path.Combine(DataDirectory, "server.log"), line + "\n");
        }
    }

    public string Log
    {
        get { lock (_log) return string.Join('\n', _log); }
    }

    /// <summary>Peak resident memory of the server process so far (VmHWM), in bytes.</summary>
    public long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("VmHWM not found");
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(); // lets the output readers finish, so the log says why
                throw new InvalidOperationException($"berth server exited with {_process.ExitCode}:\n{Log}");
            }
            try
            {
                var response = await http.GetAsync(new Uri(Endpoint, "/health"));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"berth server did not become healthy:\n{Log}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
