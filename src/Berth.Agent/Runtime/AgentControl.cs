using System.Text;
using Berth.Core.Agents;
using Berth.Core.Problems;
using Berth.Core.Terminals;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;

namespace Berth.Agent.Runtime;

/// <summary>The requests a manager makes of this agent directly (as opposed to desired state it publishes).</summary>
public sealed class AgentControl(IDockerClient docker, DockerKernelRuntime runtime, IOptions<AgentOptions> options, ReconcileSignal signal) : IAgentControl
{
    public const int MaxExecOutputBytes = 4 * 1024 * 1024;

    public string AgentId => options.Value.Id;

    public void Nudge() => signal.Wake();

    public async Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken ct)
    {
        try
        {
            var image = await docker.Images.InspectImageAsync(reference, ct);
            return new ImageInfo(reference, image.ID, image.Architecture ?? "amd64",
                image.Config?.Labels is { } labels ? new Dictionary<string, string>(labels) : new Dictionary<string, string>(),
                image.Config?.Env?.ToList() ?? []);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Runs a command in the session's container as the session user and waits for it.</summary>
    public async Task<ExecOutcome> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken ct)
    {
        var o = options.Value;
        await EnsureOwnedAsync(containerId, ct);
        var exec = await docker.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
        {
            Cmd = command.ToList(),
            AttachStdout = true,
            AttachStderr = true,
            User = $"{o.ContainerUid}:{o.ContainerGid}",
            WorkingDir = ContainerSpecFactory.Home,
        }, ct);
        using (var stream = await docker.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), ct))
        {
            var stdout = new CappedBuffer(MaxExecOutputBytes);
            var stderr = new CappedBuffer(MaxExecOutputBytes);
            await stream.CopyOutputToAsync(Stream.Null, stdout, stderr, ct);
            var inspect = await docker.Exec.InspectContainerExecAsync(exec.ID, ct);
            return new ExecOutcome((int)(inspect.ExitCode ?? -1), stdout.Text, stderr.Text);
        }
    }

    /// <summary>
    /// Launches the service through a shell that puts it in the background and returns at once: the service's
    /// process is reparented to the container's init and outlives the exec, with its output in a log file and
    /// stdin closed (so Docker's exec stream ends when the shell does).
    /// </summary>
    public async Task StartServiceAsync(string containerId, string name, string command, CancellationToken ct)
    {
        if (!Berth.Core.Images.BerthImageLabels.IsServiceName(name))
            throw Problem.Invalid("name", "service-name-invalid", $"'{name}' is not a service name (letters, digits, '-', '_').").ToException();
        if (string.IsNullOrWhiteSpace(command))
            throw Problem.Invalid("command", "required", "Give the service's command.").ToException();
        var log = $"/tmp/berth-service-{name}.log";
        var outcome = await ExecAsync(containerId, ["/bin/sh", "-c", $"cd {ContainerSpecFactory.Home} 2>/dev/null; ( {command} ) >>{log} 2>&1 </dev/null &"], ct);
        if (outcome.ExitCode != 0)
            throw new Problem(502, "service-start-failed",
                $"Starting service {name} failed (exit {outcome.ExitCode}): {(outcome.Stderr + outcome.Stdout).Trim()}").ToException();
    }

    /// <summary>A shell with a TTY as the session user (see <see cref="DockerTerminal.ShellCommand"/>).</summary>
    public async Task<ITerminalConnection> OpenTerminalAsync(string containerId, TerminalRequest request, CancellationToken ct)
    {
        var o = options.Value;
        await EnsureOwnedAsync(containerId, ct);
        return await DockerTerminal.StartAsync(docker, containerId, $"{o.ContainerUid}:{o.ContainerGid}", request, ct);
    }

    public async Task StreamLogsAsync(string containerId, bool follow, Stream destination, CancellationToken ct)
    {
        await EnsureOwnedAsync(containerId, ct);
        await runtime.CopyLogsAsync(containerId, follow, destination, ct);
    }

    /// <summary>
    /// Where the app proxy reaches the container's app ports: the container's own address on its session network, for
    /// the ports the kernel spec named (its exposed ports). Nothing is published on the host; a port the session did not
    /// declare is not answered. Containers made before that (published on the loopback) are answered the same way.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, string>> InspectPortsAsync(string containerId, CancellationToken ct)
    {
        await EnsureOwnedAsync(containerId, ct);
        var container = await docker.Containers.InspectContainerAsync(containerId, ct);
        var address = container.NetworkSettings?.Networks?.Values.Select(n => n.IPAddress).FirstOrDefault(a => !string.IsNullOrEmpty(a));
        var ports = new Dictionary<int, string>();
        if (address is null) return ports;
        foreach (var key in container.Config?.ExposedPorts?.Keys ?? [])
        {
            var parts = key.Split('/');
            if (parts.Length != 2 || parts[1] != "tcp" || !int.TryParse(parts[0], out var port)) continue;
            ports[port] = $"{address}:{port}";
        }
        return ports;
    }

    /// <summary>
    /// <c>docker commit</c> of one of this agent's containers (paused meanwhile). Bind mounts — folders, /home/work — are
    /// not in the container's layer, so they are left out by Docker itself. The container's own labels (agent, kernel,
    /// session, owner, GPUs) end up in the image's config; they are dropped from what is reported (new containers set
    /// them anyway), so the catalog keeps only the source image's labels.
    /// </summary>
    public async Task<ImageInfo> CommitAsync(string containerId, string repository, string tag, CancellationToken ct)
    {
        await EnsureOwnedAsync(containerId, ct);
        var reference = $"{repository}:{tag}";
        await docker.Images.CommitContainerChangesAsync(new CommitContainerChangesParameters
        {
            ContainerID = containerId,
            RepositoryName = repository,
            Tag = tag,
            Comment = "berth session commit",
            Pause = true,
        }, ct);
        var info = await InspectImageAsync(reference, ct)
                   ?? throw new Problem(500, "commit-failed", $"Agent {AgentId} committed {reference} but cannot find it.").ToException();
        var perContainer = new HashSet<string>([ContainerLabels.Agent, ContainerLabels.KernelId, ContainerLabels.SessionId,
            ContainerLabels.SessionName, ContainerLabels.Owner, ContainerLabels.CudaDevices]);
        return info with { Labels = info.Labels.Where(l => !perContainer.Contains(l.Key)).ToDictionary(l => l.Key, l => l.Value) };
    }

    public async Task RemoveImageAsync(string reference, CancellationToken ct)
    {
        try
        {
            await docker.Images.DeleteImageAsync(reference, new ImageDeleteParameters(), ct);
        }
        catch (DockerImageNotFoundException) { }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // In use by a container (a session started from it keeps running); the tag stays until then.
        }
    }

    /// <summary>
    /// An agent touches only the containers labelled with its own id. Anything else, existing or not, is
    /// "not found" (404 <c>container-not-found</c>): the caller learns nothing about other agents' containers.
    /// </summary>
    public async Task EnsureOwnedAsync(string containerId, CancellationToken ct)
    {
        var notFound = Problem.NotFound("container-not-found", $"Agent {AgentId} has no container '{containerId}'.", "containerId");
        if (string.IsNullOrWhiteSpace(containerId)) throw notFound.ToException();
        try
        {
            var container = await docker.Containers.InspectContainerAsync(containerId, ct);
            if (container.Config?.Labels is not { } labels || !labels.TryGetValue(ContainerLabels.Agent, out var owner) || owner != AgentId)
                throw notFound.ToException();
        }
        catch (DockerContainerNotFoundException)
        {
            throw notFound.ToException();
        }
    }

    /// <summary>Keeps at most the first N bytes: a runaway command cannot exhaust the agent's memory.</summary>
    private sealed class CappedBuffer(int cap) : Stream
    {
        private readonly MemoryStream _inner = new();
        public string Text => Encoding.UTF8.GetString(_inner.GetBuffer(), 0, (int)_inner.Length);
        public override void Write(byte[] buffer, int offset, int count)
        {
            var room = cap - (int)_inner.Length;
            if (room > 0) _inner.Write(buffer, offset, Math.Min(room, count));
        }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _inner.Length;
        public override long Position { get => _inner.Length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
