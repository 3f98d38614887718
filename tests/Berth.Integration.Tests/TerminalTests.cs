using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Berth.Client;
using Berth.Core.Terminals;
using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>Issue 5 (web terminal): the ticketed browser page and its WebSocket, the signed terminal API, and `berth session terminal` in a real terminal (tmux).</summary>
[Collection(BerthCollection.Name)]
public class TerminalTests(BerthFixture berth)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_web_terminal_runs_a_real_shell_for_the_ticket_holder_and_no_one_else()
    {
        var (_, user) = await berth.NewUserAsync("webterm");
        var name = BerthFixture.UniqueName("webterm");
        Succeeded(await user.RunAsync("session", "create", "minimal", "-t", name, "--wait"));

        var url = Succeeded(await user.RunAsync("session", "terminal", name, "--web")).Stdout.Trim();
        Assert.Matches("^http://.*/terminal/[0-9a-f]{32}/$", url);
        using (var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(20) })
        {
            var page = await browser.GetStringAsync(url);
            Assert.Contains("xterm.js", page);
            Assert.Contains("new Terminal(", await browser.GetStringAsync(url + "terminal.js"));
            Assert.Contains("xterm", await browser.GetStringAsync(url + "xterm.js"));
            using var bare = await browser.GetAsync(url.TrimEnd('/'));
            Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
            using var wrongPage = await browser.GetAsync(url.Replace("/terminal/", "/terminal/0", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.NotFound, wrongPage.StatusCode);
            Assert.Contains("terminal-ticket-invalid", await wrongPage.Content.ReadAsStringAsync());
        }

        var ws = new Uri("ws" + url["http".Length..] + "ws?cols=100&rows=30");
        using (var socket = new ClientWebSocket())
        {
            await socket.ConnectAsync(ws, CancellationToken.None);
            await using var shell = new WebSocketTerminal(socket);
            var screen = new Screen(shell);
            await shell.WriteAsync("touch /home/work/made-in-terminal; echo done-$((6*7))\r"u8.ToArray(), CancellationToken.None);
            await screen.WaitForAsync("done-42");
            await shell.WriteAsync("exit 3\r"u8.ToArray(), CancellationToken.None);
            await screen.WaitForEndAsync();
            Assert.Equal(3, await shell.ExitCodeAsync(CancellationToken.None));
        }
        Assert.Contains("made-in-terminal", await ExecAsync(user, name, "ls", "/home/work"));

        // The socket without a valid ticket is refused.
        foreach (var wrong in new[] { ws.AbsoluteUri.Replace("/terminal/", "/terminal/f", StringComparison.Ordinal), ws.AbsoluteUri.Replace(url.Split('/')[^2], "", StringComparison.Ordinal) })
        {
            using var stranger = new ClientWebSocket();
            stranger.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => stranger.ConnectAsync(new Uri(wrong), CancellationToken.None));
            Assert.Equal(HttpStatusCode.NotFound, stranger.HttpStatusCode);
        }

        // Someone else cannot get a ticket, nor open the terminal through the API.
        var (_, other) = await berth.NewUserAsync("webterm-other");
        FailedWith(await other.RunAsync("session", "terminal", name, "--web"), "session-not-found");
        FailedWith(await other.RunAsync("session", "terminal", name), "session-not-found");

        await DestroyAsync(user, name);
        // The session ended: its ticket's page and a new terminal are refused.
        using (var late = new HttpClient())
        using (var gone = await late.GetAsync(url))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        FailedWith(await user.RunAsync("session", "terminal", name), "session-not-running");
    }

    [Fact]
    public async Task The_terminal_is_an_app_of_the_proxy_for_the_owner_only()
    {
        var (_, user) = await berth.NewUserAsync("termapp");
        var name = BerthFixture.UniqueName("termapp");
        Succeeded(await user.RunAsync("session", "create", "minimal", "-t", name, "--wait"));
        Assert.Contains("terminal", Succeeded(await user.RunAsync("session", "apps", name)).Stdout);
        FailedWith(await user.RunAsync("app", name, "terminal", "--public"), "app-public-not-allowed");

        var opened = Json(await user.RunAsync("app", name, "terminal", "--json"));
        var url = opened.GetProperty("url").GetString()!;
        var root = new Uri(url[..url.IndexOf('?')]);
        var cookies = new CookieContainer();
        using (var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { Timeout = TimeSpan.FromSeconds(20) })
        {
            // The URL's secret becomes the proxy's cookie; the page and its scripts come from the manager itself.
            Assert.Contains("xterm.js", await browser.GetStringAsync(url));
            Assert.Contains("new Terminal(", await browser.GetStringAsync(new Uri(root, "terminal.js")));
        }
        var ws = new Uri("ws" + root.AbsoluteUri["http".Length..] + "ws?cols=90&rows=20");
        using (var socket = new ClientWebSocket())
        {
            socket.Options.Cookies = cookies;
            await socket.ConnectAsync(ws, CancellationToken.None);
            await using var shell = new WebSocketTerminal(socket);
            var screen = new Screen(shell);
            await shell.WriteAsync("touch /home/work/made-in-app-terminal; stty size; echo app-$((5*5))\r"u8.ToArray(), CancellationToken.None);
            await screen.WaitForAsync("app-25");
            Assert.Contains("20 90", screen.Text);
            await shell.WriteAsync("exit\r"u8.ToArray(), CancellationToken.None);
            await screen.WaitForEndAsync();
        }
        Assert.Contains("made-in-app-terminal", await ExecAsync(user, name, "ls", "/home/work"));

        // Without the cookie the socket is refused like any private app.
        using (var stranger = new ClientWebSocket())
        {
            stranger.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => stranger.ConnectAsync(ws, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Unauthorized, stranger.HttpStatusCode);
        }
        await DestroyAsync(user, name);
    }

    [Fact]
    public async Task A_resize_reaches_the_shell_in_the_container()
    {
        var (_, user) = await berth.NewUserAsync("termsize");
        var name = BerthFixture.UniqueName("termsize");
        Succeeded(await user.RunAsync("session", "create", "minimal", "-t", name, "--wait"));
        using var client = berth.ClientFor(user);
        await using (var shell = new WebSocketTerminal(await client.ConnectTerminalAsync(name, 100, 30)))
        {
            var screen = new Screen(shell);
            await shell.WriteAsync("stty size\r"u8.ToArray(), CancellationToken.None);
            await screen.WaitForAsync("30 100");
            await shell.ResizeAsync(132, 43, CancellationToken.None);
            await shell.WriteAsync("stty size\r"u8.ToArray(), CancellationToken.None);
            await screen.WaitForAsync("43 132");
        }
        // A refused upgrade still tells the SDK's caller the rule.
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => client.ConnectTerminalAsync("no-such-" + name, 80, 24));
        Assert.Equal("session-not-found", refused.Rule);
        await DestroyAsync(user, name);
    }

    [Fact]
    public async Task Berth_session_terminal_works_in_a_real_terminal_and_exits_with_the_shell()
    {
        var (_, user) = await berth.NewUserAsync("cliterm");
        var name = BerthFixture.UniqueName("cliterm");
        Succeeded(await user.RunAsync("session", "create", "minimal", "-t", name, "--wait"));
        await using (var tmux = await HostTmux.StartAsync(user, berth.Server.Endpoint, name))
        {
            await tmux.WaitForScreenAsync("$");
            await tmux.TypeAsync("touch /home/work/made-by-cli-terminal && echo ok-$((2*3))");
            await tmux.WaitForScreenAsync("ok-6");
            // Ctrl-C goes to the remote shell (it cancels the line there) instead of ending the CLI.
            await tmux.TypeAsync("sleep 100", enter: false);
            await tmux.KeysAsync("C-c");
            await tmux.TypeAsync("echo still-$((3*3))");
            await tmux.WaitForScreenAsync("still-9");
            await tmux.TypeAsync("exit");
            Assert.Equal(0, await tmux.ExitCodeAsync());
        }
        Assert.Contains("made-by-cli-terminal", await ExecAsync(user, name, "ls", "/home/work"));
        await DestroyAsync(user, name);
    }

    [Fact]
    public async Task With_tmux_in_the_image_the_shell_runs_inside_tmux_and_a_reconnect_finds_it_again()
    {
        Assert.True(berth.HasPythonImage, "the python image is missing: scripts/test builds it (or run `./berth image build python`)");
        var (_, user) = await berth.NewUserAsync("tmuxterm");
        var name = BerthFixture.UniqueName("tmuxterm");
        Succeeded(await user.RunAsync("session", "create", "python", "-t", name, "--wait"));
        await using (var tmux = await HostTmux.StartAsync(user, berth.Server.Endpoint, name))
        {
            await tmux.WaitForScreenAsync("$");
            await tmux.TypeAsync("echo \"in-tmux=[${TMUX:+yes}]\"; export MARK=kept-$((4*5))");
            await tmux.WaitForScreenAsync("in-tmux=[yes]");
        }
        // A second terminal attaches to the same tmux session: the shell (and its variable) is still there.
        using var client = berth.ClientFor(user);
        await using (var shell = new WebSocketTerminal(await client.ConnectTerminalAsync(name, 120, 40)))
        {
            var screen = new Screen(shell);
            await shell.WriteAsync("echo mark=$MARK\r"u8.ToArray(), CancellationToken.None);
            await screen.WaitForAsync("mark=kept-20");
        }
        await DestroyAsync(user, name);
    }

    /// <summary>Everything a terminal printed so far, as text (escape sequences and all).</summary>
    private sealed class Screen
    {
        private readonly StringBuilder _text = new();
        private readonly Task _reading;

        public Screen(ITerminalConnection terminal) => _reading = ReadAllAsync(terminal);

        private async Task ReadAllAsync(ITerminalConnection terminal)
        {
            var buffer = new byte[8192];
            int read;
            while ((read = await terminal.ReadAsync(buffer, CancellationToken.None)) > 0)
                lock (_text) _text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        public string Text { get { lock (_text) return _text.ToString(); } }

        public async Task WaitForAsync(string expected)
        {
            var deadline = Stopwatch.StartNew();
            while (!Text.Contains(expected, StringComparison.Ordinal))
            {
                Assert.True(deadline.Elapsed < Patience && !_reading.IsCompleted, $"never saw '{expected}' in the terminal; it showed:\n{Text}");
                await Task.Delay(50);
            }
        }

        public Task WaitForEndAsync() => _reading.WaitAsync(Patience);
    }

    /// <summary>`berth session terminal NAME` in a detached tmux on this machine, driven with send-keys as a person would type.</summary>
    private sealed class HostTmux : IAsyncDisposable
    {
        private readonly string _socket = "berth-it-" + Guid.NewGuid().ToString("N")[..12];
        private readonly string _exitFile = Path.Combine(Path.GetTempPath(), "berth-term-exit-" + Guid.NewGuid().ToString("N"));

        public static async Task<HostTmux> StartAsync(CliRunner cli, Uri endpoint, string session)
        {
            var tmux = new HostTmux();
            var command = $"BERTH_CONFIG_DIR='{cli.ConfigDirectory}' BERTH_ENDPOINT='{endpoint.ToString().TrimEnd('/')}' " +
                          $"dotnet '{ServerProcess.CliDll}' session terminal '{session}'; echo $? > '{tmux._exitFile}'";
            await tmux.RunAsync("new-session", "-d", "-x", "120", "-y", "40", command);
            return tmux;
        }

        public Task TypeAsync(string text, bool enter = true) =>
            enter ? RunAsync("send-keys", "-t", "0", "-l", text).ContinueWith(_ => RunAsync("send-keys", "-t", "0", "Enter")).Unwrap()
                  : RunAsync("send-keys", "-t", "0", "-l", text);

        public Task KeysAsync(string keys) => RunAsync("send-keys", "-t", "0", keys);

        public async Task WaitForScreenAsync(string expected)
        {
            var deadline = Stopwatch.StartNew();
            string screen;
            while (!(screen = await RunAsync("capture-pane", "-p", "-t", "0")).Contains(expected, StringComparison.Ordinal))
            {
                Assert.True(deadline.Elapsed < Patience && !File.Exists(_exitFile),
                    $"never saw '{expected}' on the terminal{(File.Exists(_exitFile) ? " (the CLI exited " + await File.ReadAllTextAsync(_exitFile) + ")" : "")}; it showed:\n{screen}");
                await Task.Delay(100);
            }
        }

        /// <summary>The CLI's exit status, once it has exited.</summary>
        public async Task<int> ExitCodeAsync()
        {
            var deadline = Stopwatch.StartNew();
            while (!File.Exists(_exitFile) || (await File.ReadAllTextAsync(_exitFile)).Trim().Length == 0)
            {
                Assert.True(deadline.Elapsed < Patience, "the CLI did not exit");
                await Task.Delay(100);
            }
            return int.Parse((await File.ReadAllTextAsync(_exitFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }

        private async Task<string> RunAsync(params string[] args)
        {
            var psi = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-L");
            psi.ArgumentList.Add(_socket);
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            var stdout = await process.StandardOutput.ReadToEndAsync();
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"tmux {string.Join(' ', args)} failed: {stderr}");
            return stdout;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                using var kill = Process.Start(new ProcessStartInfo("tmux", ["-L", _socket, "kill-server"]) { RedirectStandardError = true, UseShellExecute = false })!;
                await kill.WaitForExitAsync();
            }
            catch (System.ComponentModel.Win32Exception) { }
            File.Delete(_exitFile);
        }
    }
}
