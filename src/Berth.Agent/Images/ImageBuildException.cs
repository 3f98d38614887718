namespace Berth.Agent.Images;

/// <summary>An image build failed: Docker reported an error, or a tool (debootstrap, tar) failed.</summary>
public sealed class ImageBuildException(string message, Exception? inner = null) : Exception(message, inner);
