using Berth.Agent.Docker;
using Berth.Agent.Images;
using Berth.Agent.Runtime;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Berth.Integration.Tests.Infrastructure;

/// <summary>Direct looks at the real Docker engine, to check what Berth did there.</summary>
public static class TestDocker
{
    public const string MinimalReference = "berth/minimal:latest";
    public const string PythonReference = "berth/python:latest";

    public static IDockerClient Client() => DockerEndpoint.CreateClient();

    /// <summary>The minimal image builds in seconds, so the suite builds it when missing; the python one takes minutes and is built by scripts/test.</summary>
    public static async Task EnsureMinimalImageAsync()
    {
        using var docker = Client();
        if (await HasImageAsync(docker, MinimalReference)) return;
        await new ImageBuilder(docker).BuildAsync(ImageBuilder.MinimalRecipe, null, CancellationToken.None);
    }

    public static async Task<bool> HasImageAsync(string reference)
    {
        using var docker = Client();
        return await HasImageAsync(docker, reference);
    }

    private static async Task<bool> HasImageAsync(IDockerClient docker, string reference)
    {
        try { await docker.Images.InspectImageAsync(reference); return true; }
        catch (DockerImageNotFoundException) { return false; }
    }

    public static async Task<IList<ContainerListResponse>> ContainersOfAgentAsync(string agentId)
    {
        using var docker = Client();
        return await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Agent}={agentId}"] = true },
            },
        });
    }

    public static async Task<ContainerInspectResponse> InspectAsync(string containerId)
    {
        using var docker = Client();
        return await docker.Containers.InspectContainerAsync(containerId);
    }

    /// <summary>Removes whatever a test server's agent left behind when the server was stopped with sessions still running.</summary>
    public static async Task RemoveContainersOfAgentAsync(string agentId)
    {
        using var docker = Client();
        foreach (var c in await ContainersOfAgentAsync(agentId))
            await docker.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true });
        // Then the sessions' networks (each session has one), which would otherwise outlive the test server.
        var networks = await docker.Networks.ListNetworksAsync(new NetworksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Agent}={agentId}"] = true },
            },
        });
        foreach (var n in networks)
            try { await docker.Networks.DeleteNetworkAsync(n.ID); }
            catch (DockerApiException) { }
    }
}
