using System.Globalization;
using System.Text.RegularExpressions;
using Docker.DotNet.Models;

namespace Berth.Agent.Images;

/// <summary>
/// Receives the JSON message stream of a Docker build or import, forwards it as
/// <see cref="ImageBuildProgress"/> and remembers the first error. It reports synchronously
/// (unlike <see cref="Progress{T}"/>), so every message has been seen when the Docker call returns.
/// </summary>
internal sealed partial class DockerMessageSink(string stage, IProgress<ImageBuildProgress>? progress) : IProgress<JSONMessage>
{
    public string? Error { get; private set; }

    /// <summary>The image id the daemon announced ("aux":{"ID":...} or "Successfully built ..."), if any.</summary>
    public string? ImageId { get; private set; }

    /// <summary>The last output lines, for error messages.</summary>
    public IReadOnlyCollection<string> Tail => _tail;

    private readonly Queue<string> _tail = new();

    public void Report(JSONMessage value)
    {
        // "errorDetail": the daemon's way of saying the build (or import) failed.
        if (value.Error is { } error)
        {
            var message = string.IsNullOrWhiteSpace(error.Message) ? $"error code {error.Code}" : error.Message.Trim();
            Error ??= message;
            Emit(message, null);
            return;
        }

        if (value.Aux?.ExtensionData is { } aux && aux.TryGetValue("ID", out var id) && id?.ToString() is { Length: > 0 } idText)
            ImageId = idText;

        if (!string.IsNullOrEmpty(value.Stream))
        {
            foreach (var raw in value.Stream.Split('\n'))
            {
                // The classic builder colours RUN's stderr with ANSI escapes; progress lines are plain text.
                var line = AnsiEscape().Replace(raw, "").TrimEnd('\r').Trim();
                if (line.Length == 0) continue;
                double? fraction = null;
                var step = StepLine().Match(line);
                if (step.Success)
                {
                    var n = int.Parse(step.Groups[1].Value, CultureInfo.InvariantCulture);
                    var total = int.Parse(step.Groups[2].Value, CultureInfo.InvariantCulture);
                    if (total > 0) fraction = Math.Clamp((n - 1) / (double)total, 0, 1);
                }
                var built = BuiltLine().Match(line);
                if (built.Success) { ImageId ??= built.Groups[1].Value; fraction = 1; }
                Emit(line, fraction);
            }
            return;
        }

        if (!string.IsNullOrEmpty(value.Status))
        {
            double? fraction = null;
            if (value.Progress is { Total: > 0 and var total, Current: { } current })
                fraction = Math.Clamp(current / (double)total, 0, 1);
            var text = value.Status.Trim();
            if (!string.IsNullOrEmpty(value.ID)) text = $"{value.ID}: {text}";
            // "docker import" answers with the new image id as a bare status.
            if (stage == "import" && value.Status.StartsWith("sha256:", StringComparison.Ordinal))
                ImageId ??= value.Status.Trim();
            Emit(text, fraction);
        }
    }

    private void Emit(string message, double? fraction)
    {
        _tail.Enqueue(message);
        while (_tail.Count > 20) _tail.Dequeue();
        progress?.Report(new ImageBuildProgress(stage, message, fraction));
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"^Step (\d+)/(\d+) :")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"^Successfully built ([0-9a-f]+)$")]
    private static partial Regex BuiltLine();
}
