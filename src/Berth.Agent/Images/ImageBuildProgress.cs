namespace Berth.Agent.Images;

/// <summary>One progress report of an image build.</summary>
/// <param name="Stage">A short machine-friendly phase name, e.g. "context", "debootstrap", "import", "build", "done".</param>
/// <param name="Message">A human-readable line (a Docker build output line, a debootstrap line, ...).</param>
/// <param name="Fraction">How far the current stage is, 0..1, when known.</param>
public sealed record ImageBuildProgress(string Stage, string Message, double? Fraction);
