using Docker.DotNet;

namespace Berth.Agent.Docker;

/// <summary>Connects to the local Docker engine, or the one DOCKER_HOST names.</summary>
public static class DockerEndpoint
{
    public static Uri Address =>
        new(Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock");

    // Debian bookworm's engine speaks API 1.41; pinning it keeps the client from asking for newer endpoints.
    public static IDockerClient CreateClient() =>
        new DockerClientBuilder().WithEndpoint(Address).WithApiVersion(new Version(1, 41)).Build();
}
