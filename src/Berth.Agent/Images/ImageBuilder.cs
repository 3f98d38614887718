using Berth.Core.Images;
using System.Formats.Tar;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Berth.Agent.Images;

/// <summary>
/// Builds Berth's base images on this machine, without any container registry:
/// "minimal" (a static busybox on scratch) and "python" (a Debian bookworm root file system
/// from debootstrap, imported into Docker, plus a "work" user).
/// </summary>
public sealed partial class ImageBuilder(IDockerClient docker)
{
    public const string MinimalRecipe = "minimal";
    public const string PythonRecipe = "python";

    public static IReadOnlyList<string> Recipes { get; } = [MinimalRecipe, PythonRecipe];

    /// <summary>The image reference a recipe builds, e.g. "berth/python:latest".</summary>
    public static string ReferenceFor(string recipe) => $"berth/{Known(recipe)}:latest";

    /// <summary>The labels a recipe's image carries (see <see cref="BerthImageLabels"/>).</summary>
    public static IReadOnlyDictionary<string, string> LabelsFor(string recipe) => Known(recipe) switch
    {
        MinimalRecipe => Labels(minCpu: "0.1", minMemory: 16L << 20, preferredShmem: 64L << 20, MinimalRecipe, []),
        _ => Labels(minCpu: "0.5", minMemory: 256L << 20, preferredShmem: 64L << 20, PythonRecipe, PythonServices),
    };

    /// <summary>A service an image declares: its port label entry and the command that starts it on demand.</summary>
    public sealed record ImageService(string Name, string Protocol, int Port, string Command);

    /// <summary>
    /// Builds the recipe's image and tags it <see cref="ReferenceFor"/>; returns the reference.
    /// Throws <see cref="ArgumentException"/> for an unknown recipe, <see cref="ImageBuildException"/>
    /// when a tool is missing or the build fails (with Docker's or the tool's message).
    /// </summary>
    public Task<string> BuildAsync(string recipe, IProgress<ImageBuildProgress>? progress, CancellationToken ct)
    {
        Known(recipe);
        return BuildLockedAsync(recipe, progress, ct);
    }

    // One build per recipe at a time in this process: the python recipe shares a cache file.
    private static readonly Dictionary<string, SemaphoreSlim> Locks =
        Recipes.ToDictionary(r => r, _ => new SemaphoreSlim(1, 1));

    private async Task<string> BuildLockedAsync(string recipe, IProgress<ImageBuildProgress>? progress, CancellationToken ct)
    {
        var gate = Locks[recipe];
        await gate.WaitAsync(ct);
        try
        {
            var reference = recipe == MinimalRecipe
                ? await BuildMinimalAsync(progress, ct)
                : await BuildPythonAsync(progress, ct);
            var image = await docker.Images.InspectImageAsync(reference, ct);
            progress?.Report(new ImageBuildProgress("done", $"built {reference} ({image.ID})", 1));
            return reference;
        }
        finally
        {
            gate.Release();
        }
    }

    private static string Known(string recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        if (!Recipes.Contains(recipe))
            throw new ArgumentException(
                $"unknown image recipe '{recipe}'; known recipes: {string.Join(", ", Recipes)}", nameof(recipe));
        return recipe;
    }

    private static Dictionary<string, string> Labels(string minCpu, long minMemory, long preferredShmem, string recipe, IReadOnlyList<ImageService> services)
    {
        var labels = new Dictionary<string, string>
        {
            [BerthImageLabels.MinCpu] = minCpu,
            [BerthImageLabels.MinMemory] = minMemory.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [BerthImageLabels.PreferredShmem] = preferredShmem.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [BerthImageLabels.ServicePorts] = string.Join(',', services.Select(s =>
                $"{s.Name}:{s.Protocol}:{s.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}")),
            [BerthImageLabels.Recipe] = recipe,
        };
        foreach (var s in services) labels[BerthImageLabels.ServiceCommand(s.Name)] = s.Command;
        return labels;
    }

    /// <summary>A Dockerfile LABEL instruction carrying the recipe's labels.</summary>
    private static string LabelInstruction(string recipe) =>
        "LABEL " + string.Join(" \\\n      ", LabelsFor(recipe).Select(kv => $"{kv.Key}={Quote(kv.Value)}"));

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Runs a Docker build of <paramref name="context"/> (a tar stream), tagging <paramref name="reference"/>.</summary>
    internal async Task BuildFromContextAsync(Stream context, string reference, IProgress<ImageBuildProgress>? progress, CancellationToken ct)
    {
        var sink = new DockerMessageSink("build", progress);
        var parameters = new ImageBuildParameters
        {
            Dockerfile = "Dockerfile",
            Tags = [reference],
            Remove = true,
            ForceRemove = true,
        };
        try
        {
            await docker.Images.BuildImageFromDockerfileAsync(parameters, context, null, null, sink, ct);
        }
        catch (DockerApiException e)
        {
            throw new ImageBuildException($"building {reference} failed: {e.ResponseBody?.Trim() ?? e.Message}", e);
        }
        if (sink.Error is not null)
            throw new ImageBuildException($"building {reference} failed: {sink.Error}");
        if (sink.ImageId is null)
            throw new ImageBuildException(
                $"building {reference}: Docker did not report a built image; last output:\n{string.Join('\n', sink.Tail)}");
    }

    private static void AddFile(TarWriter tar, string name, byte[] content, UnixFileMode mode)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = mode,
            Uid = 0,
            Gid = 0,
            ModificationTime = FixedTime,
            DataStream = new MemoryStream(content, writable: false),
        };
        tar.WriteEntry(entry);
    }

    private static void AddDirectory(TarWriter tar, string name, UnixFileMode mode)
    {
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode, ModificationTime = FixedTime });
    }

    // Fixed times keep generated contexts byte-identical, so Docker's build cache can reuse layers.
    private static readonly DateTimeOffset FixedTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const UnixFileMode Mode755 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode Mode644 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static byte[] Utf8(string s) => new UTF8Encoding(false).GetBytes(s);
}
