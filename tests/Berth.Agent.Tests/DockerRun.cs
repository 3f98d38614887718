using Docker.DotNet;
using Docker.DotNet.Models;

namespace Berth.Agent.Tests;

/// <summary>Runs a command in a throwaway container and collects its output.</summary>
internal static class DockerRun
{
    public sealed record Result(long ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(IDockerClient docker, string image, string script,
        string user = "1000:1000", IList<string>? env = null, CancellationToken ct = default)
    {
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Cmd = ["/bin/sh", "-c", script],
            User = user,
            Env = env ?? [],
            Labels = new Dictionary<string, string> { ["ai.berth.test"] = "images" },
            // Everything the tests do must work offline.
            HostConfig = new HostConfig { NetworkMode = "none" },
        }, ct);
        try
        {
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct);
            var wait = await docker.Containers.WaitContainerAsync(created.ID, ct);
            using var logs = await docker.Containers.GetContainerLogsAsync(created.ID,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, ct);
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(ct);
            return new Result(wait.StatusCode, stdout, stderr);
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
    }
}

/// <summary>Collects progress reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
internal sealed class ListProgress<T> : IProgress<T>
{
    private readonly List<T> _items = [];

    public IReadOnlyList<T> Items { get { lock (_items) return [.. _items]; } }

    public void Report(T value) { lock (_items) _items.Add(value); }
}
