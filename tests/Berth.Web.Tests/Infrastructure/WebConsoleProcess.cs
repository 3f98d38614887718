using System.Diagnostics;
using System.Net;
using Berth.Integration.Tests.Infrastructure;

namespace Berth.Web.Tests.Infrastructure;

/// <summary>
/// A real `berth web --manager URL` in its own process, as an admin runs the console apart from the manager; tests
/// point it at a <see cref="Berth.Integration.Tests.Infrastructure.TcpRelay"/> to break the console's connection to the manager on purpose.
/// </summary>
public sealed class WebConsoleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = [];
    private readonly string _dataDirectory;

    public Uri Endpoint { get; }

    private WebConsoleProcess(Process process, Uri endpoint, string dataDirectory)
    {
        _process = process;
        Endpoint = endpoint;
        _dataDirectory = dataDirectory;
    }

    public static async Task<WebConsoleProcess> StartAsync(Uri manager)
    {
        var port = ServerProcess.FreePort();
        var data = Path.Combine(Path.GetTempPath(), "berth-web-" + Guid.NewGuid().ToString("N")[..10]);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { ServerProcess.CliDll, "web", "--manager", manager.ToString(), "--listen", $"127.0.0.1:{port}", "--data-dir", data })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start berth web");
        var web = new WebConsoleProcess(process, new Uri($"http://127.0.0.1:{port}"), data);
        process.OutputDataReceived += (_, e) => web.Record(e.Data);
        process.ErrorDataReceived += (_, e) => web.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await web.WaitServingAsync();
        return web;
    }

    public string Log
    {
        get { lock (_log) return string.Join('\n', _log); }
    }

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_log) _log.Add(line);
    }

    /// <summary>The sign-in page answers once the console is up.</summary>
    private async Task WaitServingAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"berth web exited with {_process.ExitCode}:\n{Log}");
            }
            try
            {
                var response = await http.GetAsync(new Uri(Endpoint, "/signin"));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            // Polling a process that is starting (no event to wait on), as ServerProcess does.
            await Task.Delay(200);
        }
        throw new TimeoutException($"berth web did not start serving:\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        BerthFixture.TryDelete(_dataDirectory);
    }
}
