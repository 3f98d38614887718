using System.Diagnostics;
using System.Net;

namespace Berth.Integration.Tests.Infrastructure;

/// <summary>A real `berth agent` in its own process, joined to a test server the way an admin joins a node.</summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = [];
    private readonly string _logFile;

    public string AgentId { get; }
    public int Port { get; }
    public Uri ControlUrl => new($"http://127.0.0.1:{Port}");

    private AgentProcess(Process process, string agentId, int port, string logFile)
    {
        _process = process;
        AgentId = agentId;
        Port = port;
        _logFile = logFile;
    }

    /// <summary>Starts an agent for <paramref name="server"/> with its own scratch directory and the server's storage host mounted.</summary>
    public static async Task<AgentProcess> StartAsync(ServerProcess server, string agentId, string scratch, int? port = null,
        string cpu = "2", string mem = "2g", string? token = null)
    {
        port ??= ServerProcess.FreePort();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] args =
        [
            ServerProcess.CliDll, "agent", "--manager", server.Endpoint.ToString(),
            "--id", agentId, "--cpu", cpu, "--mem", mem, "--listen", $"127.0.0.1:{port}", "--scratch", scratch,
            "--volume", "local=" + Path.Combine(server.DataDirectory, "volumes", "local"),
        ];
        foreach (var a in args) psi.ArgumentList.Add(a);
        // The environment rather than --token, as the docs advise: keeps the secret out of the process list.
        psi.Environment["BERTH_AGENT_TOKEN"] = token ?? AgentToken(server);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the agent");
        var agent = new AgentProcess(process, agentId, port.Value, Path.Combine(server.DataDirectory, $"agent-{agentId}.log"));
        process.OutputDataReceived += (_, e) => agent.Record(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await agent.WaitListeningAsync();
        return agent;
    }

    public static string AgentToken(ServerProcess server) => File.ReadAllText(Path.Combine(server.DataDirectory, "agent-token")).Trim();

    public string Log
    {
        get { lock (_log) return string.Join('\n', _log); }
    }

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.Add(line);
            File.AppendAllText(_logFile, line + "\n");
        }
    }

    /// <summary>The control API answers (401 without a token) once the agent is up.</summary>
    private async Task WaitListeningAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"berth agent exited with {_process.ExitCode}:\n{Log}");
            try
            {
                var response = await http.PostAsync(new Uri(ControlUrl, "/agent/v1/nudge"), null);
                if (response.StatusCode == HttpStatusCode.Unauthorized) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"berth agent did not start listening:\n{Log}");
    }

    /// <summary>SIGKILL: the node's agent dies without a word to the manager.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
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
