using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Integration.Tests.Infrastructure;
using Docker.DotNet.Models;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>
/// Issue 10 (isolation between users), the network part: each session on a network of its own, nothing published on the
/// host, the agent's host firewall, Jupyter behind the session's token. Each case first shows that the dial it expects
/// to fail does work where isolation does not apply (same network, root, the default bridge), so that it can fail.
/// </summary>
[Collection(BerthCollection.Name)]
public class NetworkIsolationTests(BerthFixture berth)
{
    private const string Secret = "bob-secret-page";

    [Fact]
    public async Task Another_users_session_and_local_users_reach_nothing_of_a_session_while_the_app_proxy_does()
    {
        var (_, bob) = await berth.NewUserAsync("bob");
        var (_, alice) = await berth.NewUserAsync("alice");
        var bobs = BerthFixture.UniqueName("bob");
        var alices = BerthFixture.UniqueName("ali");
        Succeeded(await bob.RunAsync("session", "create", "minimal", "-t", bobs, "--preopen", "8080", "--wait"));
        Succeeded(await alice.RunAsync("session", "create", "minimal", "-t", alices, "--wait"));
        await ExecAsync(bob, bobs, "sh", "-c", $"mkdir -p /tmp/www && echo {Secret} > /tmp/www/index.html && httpd -p 8080 -h /tmp/www && httpd -p 9090 -h /tmp/www");

        var container = await ContainerOfAsync(bobs);
        var (networkName, endpoint) = Assert.Single(container.NetworkSettings!.Networks);
        var sessionId = Guid.Parse(container.Config!.Labels["ai.berth.session-id"]);
        Assert.Equal($"berth-{sessionId:N}", networkName);
        // Nothing of the session is published on the host, not even on the loopback.
        Assert.True(container.HostConfig!.PortBindings is null or { Count: 0 }, "port bindings: " + string.Join(",", container.HostConfig.PortBindings?.Keys ?? []));
        Assert.All(container.NetworkSettings.Ports ?? new Dictionary<string, IList<PortBinding>>(), p => Assert.True(p.Value is null or { Count: 0 }, $"{p.Key} is published"));
        using (var docker = TestDocker.Client())
        {
            var network = await docker.Networks.InspectNetworkAsync(networkName);
            Assert.Equal($"bth{sessionId:N}"[..15], network.Options["com.docker.network.bridge.name"]);
            Assert.Equal(berth.Server.AgentId, network.Labels["ai.berth.agent"]);
            Assert.Equal(sessionId.ToString(), network.Labels["ai.berth.session-id"]);
        }
        var bobIp = endpoint.IPAddress;

        // The dial works where nothing isolates: another container on bob's network, and root on the host (the app proxy's user).
        var sameNetwork = await RunThrowawayAsync(networkName, "timeout", "5", "wget", "-qO-", $"http://{bobIp}:8080/");
        Assert.True(sameNetwork.Output.Contains(Secret, StringComparison.Ordinal), $"from bob's network: exit {sameNetwork.ExitCode}: {sameNetwork.Output}");
        Assert.Equal(0, await DialAsHostUserAsync(bobIp, 8080, asNobody: false));

        // From alice's session: neither the app port nor a port bob never declared answers.
        foreach (var port in new[] { 8080, 9090 })
        {
            var fromAlice = await alice.RunAsync("session", "exec", alices, "--", "timeout", "5", "wget", "-qO-", $"http://{bobIp}:{port}/");
            Assert.NotEqual(0, fromAlice.ExitCode);
            Assert.DoesNotContain(Secret, fromAlice.Stdout);
        }
        // A local unprivileged user of the host is refused too (the firewall's BERTH-OUTPUT chain).
        Assert.NotEqual(0, await DialAsHostUserAsync(bobIp, 8080, asNobody: true));

        // The app proxy still serves bob's app, dialling the container's address as root.
        var opened = Json(await bob.RunAsync("app", bobs, "port-8080", "--json"));
        using (var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { Timeout = TimeSpan.FromSeconds(30) })
            Assert.Contains(Secret, await browser.GetStringAsync(opened.GetProperty("url").GetString()));

        // Every agent adds the firewall's rules only when missing: one of each, however many servers have started on this host.
        var output = await HostCommandAsync("iptables", "-w", "10", "-S", "BERTH-OUTPUT");
        Assert.Equal(1, Count(output, "-j REJECT"));
        Assert.Equal(1, Count(output, "--uid-owner 0 -j RETURN"));
        Assert.Equal(1, Count(await HostCommandAsync("iptables", "-w", "10", "-S", "BERTH-INPUT"), "-j DROP"));

        await DestroyAsync(bob, bobs);
        await DestroyAsync(alice, alices);
        await WaitUntilAsync(async () => !await NetworkExistsAsync(networkName), "bob's network is removed with his session");
    }

    [Fact]
    public async Task A_session_cannot_connect_to_a_service_on_the_host()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var firstAccept = listener.AcceptTcpClientAsync();

        // Where Berth's firewall does not apply (a container on Docker's default bridge), the host's service answers.
        var dialing = RunThrowawayAsync(null, "sh", "-c",
            $"gw=$(ip route | awk '/^default/ {{print $3}}'); echo gw=$gw; echo hi | nc -w 3 $gw {port}; echo nc-exit=$?");
        if (await Task.WhenAny(firstAccept, dialing, Task.Delay(TimeSpan.FromSeconds(30))) != firstAccept)
            Assert.Fail($"the host's listener on port {port} was not reached from the default bridge: {(dialing.IsCompleted ? (await dialing).Output : "")}");
        (await firstAccept).Dispose(); // nc ends when the host closes
        var dial = await dialing;
        Assert.True(dial.Output.Contains("nc-exit=0", StringComparison.Ordinal), $"from the default bridge: {dial.Output}");
        var bridgeGateway = dial.Output.Split('\n').Single(l => l.StartsWith("gw=", StringComparison.Ordinal))[3..].Trim();
        var nextAccept = listener.AcceptTcpClientAsync();

        var (_, alice) = await berth.NewUserAsync("alice");
        var name = BerthFixture.UniqueName("host");
        Succeeded(await alice.RunAsync("session", "create", "minimal", "-t", name, "--wait"));
        var endpoint = Assert.Single((await ContainerOfAsync(name)).NetworkSettings!.Networks).Value;
        // The host's address on the session's own bridge, and its address on the default bridge: neither answers.
        Assert.False(string.IsNullOrEmpty(endpoint.Gateway));
        foreach (var address in new[] { endpoint.Gateway, bridgeGateway })
        {
            var fromSession = await alice.RunAsync("session", "exec", name, "--", "sh", "-c", $"echo hi | nc -w 3 {address} {port}");
            Assert.NotEqual(0, fromSession.ExitCode);
        }
        Assert.False(nextAccept.IsCompleted, "the session's dial reached the host's listener");
        listener.Stop();
        await DestroyAsync(alice, name);
    }

    [Fact]
    public async Task Jupyter_refuses_requests_without_the_session_token_and_works_through_both_proxy_urls()
    {
        Assert.True(berth.HasPythonImage, "the python image is missing: scripts/test builds it (or run `./berth image build python`)");
        var (_, bob) = await berth.NewUserAsync("bob");
        var (_, alice) = await berth.NewUserAsync("alice");
        var bobs = BerthFixture.UniqueName("jup");
        var alices = BerthFixture.UniqueName("ali");
        Succeeded(await bob.RunAsync("session", "create", "python", "-t", bobs, "--wait"));
        Succeeded(await alice.RunAsync("session", "create", "minimal", "-t", alices, "--wait"));
        var opened = Json(await bob.RunAsync("app", bobs, "jupyter", "--json"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, opened.GetProperty("note").ValueKind);

        // Inside bob's own session: without the token Jupyter refuses; with the session's token it answers.
        const string probe = "import os,sys,urllib.request as u\n" +
                             "r=u.Request('http://127.0.0.1:8888/api/contents')\n" +
                             "if sys.argv[1]=='token': r.add_header('Authorization','token '+os.environ['JUPYTER_TOKEN'])\n" +
                             "try: print(u.urlopen(r,timeout=10).status)\n" +
                             "except u.HTTPError as e: print(e.code)\n";
        Assert.Equal("403", (await ExecAsync(bob, bobs, "python3", "-c", probe, "none")).Trim());
        Assert.Equal("200", (await ExecAsync(bob, bobs, "python3", "-c", probe, "token")).Trim());

        // From alice's session, bob's Jupyter does not even answer.
        var bobIp = Assert.Single((await ContainerOfAsync(bobs)).NetworkSettings!.Networks).Value.IPAddress;
        var fromAlice = await alice.RunAsync("session", "exec", alices, "--", "timeout", "5", "wget", "-qO-", $"http://{bobIp}:8888/api/contents");
        Assert.NotEqual(0, fromAlice.ExitCode);
        Assert.DoesNotContain("\"content\"", fromAlice.Stdout);

        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { Timeout = TimeSpan.FromSeconds(60) };
        // Its own port: the proxy presents the token, so the API answers and a browser's POST (with its Origin) is let through.
        var url = new Uri(opened.GetProperty("url").GetString()!);
        var origin = url.GetLeftPart(UriPartial.Authority);
        using (var tree = await browser.GetAsync(url)) Assert.Equal(HttpStatusCode.OK, tree.StatusCode);
        await AssertCreatesNotebookAsync(browser, origin + "/api/contents", origin);

        // The path URL under the manager's address: the same.
        var pathUrl = opened.GetProperty("pathUrl").GetString()!;
        var query = new Uri(pathUrl).Query;
        var root = pathUrl[..pathUrl.IndexOf('?')];
        using (var listing = await browser.GetAsync(root + "api/contents" + query))
        {
            Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
            Assert.Contains("\"content\"", await listing.Content.ReadAsStringAsync());
        }
        await AssertCreatesNotebookAsync(browser, root + "api/contents", berth.Server.Endpoint.GetLeftPart(UriPartial.Authority));

        await DestroyAsync(bob, bobs);
        await DestroyAsync(alice, alices);
    }

    [Fact]
    public async Task An_agent_removes_only_its_own_stale_networks()
    {
        using var docker = TestDocker.Client();
        var stale = $"berth-{Guid.NewGuid():N}";
        var foreign = $"berth-{Guid.NewGuid():N}";
        // As a crash leaves them: a network of this agent's whose session is gone, and one of another installation's agent.
        await docker.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = stale, Driver = "bridge",
            Labels = new Dictionary<string, string> { ["ai.berth.agent"] = berth.Server.AgentId, ["ai.berth.session-id"] = Guid.NewGuid().ToString() },
        });
        await docker.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = foreign, Driver = "bridge",
            Labels = new Dictionary<string, string> { ["ai.berth.agent"] = "another-installation", ["ai.berth.session-id"] = Guid.NewGuid().ToString() },
        });
        try
        {
            await WaitUntilAsync(async () => !await NetworkExistsAsync(stale), "the agent removes its own stale network", TimeSpan.FromSeconds(90));
            Assert.True(await NetworkExistsAsync(foreign), "another installation's network must stay");
        }
        finally
        {
            foreach (var name in new[] { stale, foreign })
                try { await docker.Networks.DeleteNetworkAsync(name); } catch (Docker.DotNet.DockerApiException) { }
        }
    }

    private static async Task AssertCreatesNotebookAsync(HttpClient browser, string contentsUrl, string origin)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, contentsUrl) { Content = new StringContent("{\"type\":\"notebook\"}", Encoding.UTF8, "application/json") };
        post.Headers.TryAddWithoutValidation("Origin", origin);
        using var created = await browser.SendAsync(post);
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"POST {contentsUrl}: {(int)created.StatusCode} {body}");
    }

    private async Task<ContainerInspectResponse> ContainerOfAsync(string sessionName)
    {
        var listed = Assert.Single(await TestDocker.ContainersOfAgentAsync(berth.Server.AgentId), c => c.Labels["ai.berth.session-name"] == sessionName);
        return await TestDocker.InspectAsync(listed.ID);
    }

    private static async Task<bool> NetworkExistsAsync(string name)
    {
        using var docker = TestDocker.Client();
        try { await docker.Networks.InspectNetworkAsync(name); return true; }
        catch (Docker.DotNet.DockerNetworkNotFoundException) { return false; }
    }

    /// <summary>A short-lived berth/minimal container (on <paramref name="network"/>, or Docker's default bridge); its exit code and output.</summary>
    private static async Task<(long ExitCode, string Output)> RunThrowawayAsync(string? network, params string[] command)
    {
        using var docker = TestDocker.Client();
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = TestDocker.MinimalReference,
            Cmd = command,
            // Init: busybox wget crashes when it runs as PID 1.
            HostConfig = new HostConfig { NetworkMode = network ?? "bridge", Init = true },
        });
        try
        {
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var waited = await docker.Containers.WaitContainerAsync(created.ID, timeout.Token);
            using var logs = await docker.Containers.GetContainerLogsAsync(created.ID, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true });
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(CancellationToken.None);
            return (waited.StatusCode, stdout + stderr);
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    /// <summary>Opens a TCP connection from the host, as root or as <c>nobody</c> (setpriv); 0 when it connected.</summary>
    private static async Task<int> DialAsHostUserAsync(string address, int port, bool asNobody)
    {
        string[] dial = ["timeout", "5", "bash", "-c", $"exec 3<>/dev/tcp/{address}/{port}"];
        string[] command = asNobody ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", .. dial] : dial;
        var (code, _) = await RunHostAsync(command);
        return code;
    }

    private static async Task<string> HostCommandAsync(params string[] command)
    {
        var (code, output) = await RunHostAsync(command);
        Assert.True(code == 0, $"{string.Join(' ', command)}: exit {code}: {output}");
        return output;
    }

    private static async Task<(int Code, string Output)> RunHostAsync(string[] command)
    {
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int Count(string text, string part)
    {
        var n = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(250);
        }
    }
}
