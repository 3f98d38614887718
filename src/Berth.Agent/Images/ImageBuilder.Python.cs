using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Berth.Agent.Images;

public sealed partial class ImageBuilder
{
    public const string DebianSuite = "bookworm";

    /// <summary>The packages debootstrap adds to the minbase variant for the python image.</summary>
    public static IReadOnlyList<string> PythonPackages { get; } =
        ["python3", "python3-pip", "python3-setuptools", "python3-venv", "tmux", "ca-certificates", "procps", "less"];

    /// <summary>
    /// Packages installed with apt-get in the debootstrap result (chroot) before it is archived. Jupyter's dependency
    /// tree (python3-zmq, debugpy, gdb, …) does not configure in debootstrap's own single pass (it resolves no
    /// alternatives and configures in one dpkg run), so it goes through apt, which orders it properly.
    /// </summary>
    public static IReadOnlyList<string> PythonAptPackages { get; } = ["jupyter-notebook"];

    /// <summary>
    /// Jupyter Notebook (Debian's package) as an on-demand service: the manager starts it the first time the app is
    /// opened. It requires the session's app token: Jupyter reads <c>JUPYTER_TOKEN</c>, which the agent puts in the
    /// container's environment, by itself (and without one makes up a random token rather than run open). Berth's app proxy
    /// authenticates the user and then presents the token (<c>Authorization: token …</c>); a token-authenticated request
    /// skips Jupyter's origin and XSRF checks, so the notebook works under whatever address the proxy serves it, while
    /// anything that reaches the port without the token (another program in the session) is refused.
    /// allow_remote_access: the proxy's Host header is the container's address, not localhost. port_retries=0: a second
    /// start finds the port taken and exits instead of listening elsewhere.
    /// </summary>
    public static IReadOnlyList<ImageService> PythonServices { get; } =
    [
        new("jupyter", "http", 8888,
            "jupyter notebook --no-browser --ip=0.0.0.0 --port=8888 --NotebookApp.port_retries=0 " +
            "--NotebookApp.allow_remote_access=True --NotebookApp.open_browser=False --notebook-dir=/home/work"),
    ];

    /// <summary>Where debootstrap tarballs are kept: $BERTH_CACHE_DIR, else /var/cache/berth/images.</summary>
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("BERTH_CACHE_DIR") is { Length: > 0 } dir ? dir : "/var/cache/berth/images";

    /// <summary>Bumped when the post-debootstrap clean-up changes, so that cached tarballs are rebuilt.</summary>
    private const int RootfsRevision = 2;

    /// <summary>Names the debootstrap result: suite, variant, package list and architecture (not the mirror).</summary>
    internal static string RootfsKey
    {
        get
        {
            var text = $"{RootfsRevision}|{DebianSuite}|minbase|{string.Join(',', PythonPackages)}|apt:{string.Join(',', PythonAptPackages)}|{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}";
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
        }
    }

    /// <summary>The cached debootstrap tarball of the python image's root file system.</summary>
    public static string PythonRootfsTarball => Path.Combine(CacheDirectory, $"python-rootfs-{DebianSuite}-{RootfsKey}.tar");

    /// <summary>The imported (docker import) root file system the python image is built FROM.</summary>
    public static string PythonRootfsReference => $"berth/python-rootfs:{DebianSuite}-{RootfsKey}";

    private async Task<string> BuildPythonAsync(IProgress<ImageBuildProgress>? progress, CancellationToken ct)
    {
        var reference = ReferenceFor(PythonRecipe);
        var baseReference = PythonRootfsReference;

        if (await ImageExistsAsync(baseReference, ct))
        {
            progress?.Report(new ImageBuildProgress("import", $"root file system image {baseReference} is present; reusing it", 1));
        }
        else
        {
            var tarball = PythonRootfsTarball;
            if (File.Exists(tarball))
                progress?.Report(new ImageBuildProgress("debootstrap", $"using cached root file system {tarball}", 1));
            else
                await DebootstrapAsync(tarball, progress, ct);
            await ImportAsync(tarball, baseReference, progress, ct);
        }

        var context = new MemoryStream();
        await using (var tar = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
            AddFile(tar, "Dockerfile", Utf8(PythonDockerfile(baseReference)), Mode644);
        context.Position = 0;
        await BuildFromContextAsync(context, reference, progress, ct);
        return reference;
    }

    private static string PythonDockerfile(string baseReference) => $$"""
        FROM {{baseReference}}
        RUN set -eux; \
            groupadd --gid 1000 work; \
            useradd --uid 1000 --gid 1000 --home-dir /home/work --create-home --shell /bin/bash work; \
            rm -f /usr/lib/python3*/EXTERNALLY-MANAGED; \
            rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb
        ENV PATH=/home/work/.local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/home/work LANG=C.UTF-8
        WORKDIR /home/work
        {{LabelInstruction(PythonRecipe)}}
        CMD ["/bin/bash"]

        """;

    private async Task<bool> ImageExistsAsync(string reference, CancellationToken ct)
    {
        try
        {
            await docker.Images.InspectImageAsync(reference, ct);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Runs debootstrap into a scratch directory next to the cache and tars the result into <paramref name="tarball"/>.</summary>
    private static async Task DebootstrapAsync(string tarball, IProgress<ImageBuildProgress>? progress, CancellationToken ct)
    {
        var debootstrap = ProcessRunner.Find("debootstrap", "/usr/sbin/debootstrap")
            ?? throw new ImageBuildException(
                "the python image needs debootstrap to build a Debian root file system, and it is not installed; " +
                "install it with: apt-get install debootstrap");
        if (!Environment.IsPrivilegedProcess)
            throw new ImageBuildException(
                "the python image's root file system is built with debootstrap, which must run as root; " +
                $"run the build as root once (the result is cached in {CacheDirectory})");
        var tar = ProcessRunner.Find("tar", "/usr/bin/tar", "/bin/tar")
            ?? throw new ImageBuildException("tar is not installed; install it with: apt-get install tar");

        Directory.CreateDirectory(CacheDirectory);
        var scratch = Path.Combine(CacheDirectory, $"debootstrap-{Guid.NewGuid():N}");
        var rootfs = Path.Combine(scratch, "rootfs");
        Directory.CreateDirectory(rootfs);
        try
        {
            var mirror = AptMirror.Find(DebianSuite);
            string[] args =
            [
                "--variant=minbase", $"--include={string.Join(',', PythonPackages)}", DebianSuite, rootfs, mirror,
            ];
            progress?.Report(new ImageBuildProgress("debootstrap", $"debootstrap {string.Join(' ', args)}", 0));
            var phase = new DebootstrapPhases();
            var tail = new Queue<string>();
            var rc = await ProcessRunner.RunAsync(debootstrap, args, line =>
            {
                tail.Enqueue(line);
                if (tail.Count > 30) tail.Dequeue();
                progress?.Report(new ImageBuildProgress("debootstrap", line, phase.Advance(line)));
            }, ct);
            if (rc != 0)
            {
                var log = Path.Combine(rootfs, "debootstrap", "debootstrap.log");
                var logTail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "";
                throw new ImageBuildException(
                    $"debootstrap failed (exit {rc}) with mirror {mirror}:\n{string.Join('\n', tail)}" +
                    (logTail.Length > 0 ? $"\n--- {log} (last lines) ---\n{logTail}" : ""));
            }

            if (PythonAptPackages.Count > 0) await AptInstallAsync(rootfs, progress, ct);

            // The package index and downloaded .debs are ~100 MB the image does not need; dropping them here
            // keeps them out of the imported layer (a later "rm" in the Dockerfile would not shrink it).
            foreach (var dir in new[] { "var/lib/apt/lists", "var/cache/apt/archives" })
            {
                var full = Path.Combine(rootfs, dir);
                if (!Directory.Exists(full)) continue;
                foreach (var file in Directory.EnumerateFiles(full)) File.Delete(file);
                var partial = Path.Combine(full, "partial");
                if (Directory.Exists(partial)) foreach (var file in Directory.EnumerateFiles(partial)) File.Delete(file);
            }
            foreach (var bin in Directory.EnumerateFiles(Path.Combine(rootfs, "var/cache/apt"), "*.bin")) File.Delete(bin);
            // debootstrap copies this machine's name and DNS servers; Docker provides both at run time.
            await File.WriteAllTextAsync(Path.Combine(rootfs, "etc/hostname"), "localhost\n", ct);
            var resolv = Path.Combine(rootfs, "etc/resolv.conf");
            if (File.Exists(resolv) && !new FileInfo(resolv).Attributes.HasFlag(FileAttributes.ReparsePoint))
                await File.WriteAllTextAsync(resolv, "", ct);

            progress?.Report(new ImageBuildProgress("archive", $"writing {tarball}", null));
            var partialTarball = tarball + $".{Environment.ProcessId}.partial";
            var tarTail = new List<string>();
            // GNU tar keeps owners, modes, hard links, symlinks and device nodes exactly as debootstrap made them.
            var tarRc = await ProcessRunner.RunAsync(tar,
                ["--numeric-owner", "--one-file-system", "-C", rootfs, "-cf", partialTarball, "."],
                line => { if (tarTail.Count < 30) tarTail.Add(line); }, ct);
            if (tarRc != 0)
            {
                File.Delete(partialTarball);
                throw new ImageBuildException($"tar of the debootstrap result failed (exit {tarRc}):\n{string.Join('\n', tarTail)}");
            }
            File.Move(partialTarball, tarball, overwrite: true);
            // Tarballs of older package lists or clean-up revisions are no longer used; they are ~200 MB each.
            foreach (var stale in Directory.EnumerateFiles(CacheDirectory, "python-rootfs-*.tar"))
                if (stale != tarball) File.Delete(stale);
            progress?.Report(new ImageBuildProgress("archive", $"cached {tarball} ({new FileInfo(tarball).Length >> 20} MiB)", 1));
        }
        finally
        {
            await RemoveScratchAsync(scratch);
        }
    }

    /// <summary>apt-get install of <see cref="PythonAptPackages"/> inside the fresh root file system (its sources.list names the mirror).</summary>
    private static async Task AptInstallAsync(string rootfs, IProgress<ImageBuildProgress>? progress, CancellationToken ct)
    {
        var chroot = ProcessRunner.Find("chroot", "/usr/sbin/chroot", "/sbin/chroot")
            ?? throw new ImageBuildException("chroot is not installed; install it with: apt-get install coreutils");
        var packages = string.Join(' ', PythonAptPackages);
        progress?.Report(new ImageBuildProgress("apt", $"apt-get install {packages}", 0));
        var tail = new Queue<string>();
        var rc = await ProcessRunner.RunAsync(chroot,
            [rootfs, "/usr/bin/env", "DEBIAN_FRONTEND=noninteractive", "/bin/sh", "-c",
                $"apt-get update -q && apt-get install -y -q --no-install-recommends {packages}"],
            line =>
            {
                tail.Enqueue(line);
                if (tail.Count > 30) tail.Dequeue();
                progress?.Report(new ImageBuildProgress("apt", line, null));
            }, ct);
        if (rc != 0)
            throw new ImageBuildException($"apt-get install {packages} in the debootstrap result failed (exit {rc}):\n{string.Join('\n', tail)}");
        progress?.Report(new ImageBuildProgress("apt", $"installed {packages}", 1));
    }

    /// <summary>
    /// Removes the debootstrap scratch directory without crossing into anything still mounted in it
    /// (a failed debootstrap can leave /proc or /sys mounted in the target).
    /// </summary>
    private static async Task RemoveScratchAsync(string scratch)
    {
        if (!Directory.Exists(scratch)) return;
        var rm = ProcessRunner.Find("rm", "/usr/bin/rm", "/bin/rm");
        if (rm is null) return;
        await ProcessRunner.RunAsync(rm, ["-rf", "--one-file-system", "--", scratch], _ => { }, CancellationToken.None);
    }

    /// <summary>docker import: streams the tarball to the engine as the image <paramref name="reference"/>.</summary>
    private async Task ImportAsync(string tarball, string reference, IProgress<ImageBuildProgress>? progress, CancellationToken ct)
    {
        var colon = reference.LastIndexOf(':');
        var parameters = new ImagesCreateParameters
        {
            FromSrc = "-",
            Repo = reference[..colon],
            Tag = reference[(colon + 1)..],
            Message = $"Berth: debootstrap {DebianSuite} minbase + {string.Join(',', PythonPackages)} + apt {string.Join(',', PythonAptPackages)}",
        };
        var length = new FileInfo(tarball).Length;
        progress?.Report(new ImageBuildProgress("import", $"importing {tarball} ({length >> 20} MiB) as {reference}", 0));
        var sink = new DockerMessageSink("import", progress);
        await using (var file = new FileStream(tarball, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        await using (var counted = new ReadProgressStream(file, length, f =>
            progress?.Report(new ImageBuildProgress("import", $"sent {f:P0} of the root file system", f))))
        {
            try
            {
                await docker.Images.CreateImageAsync(parameters, counted, null, sink, ct);
            }
            catch (DockerApiException e)
            {
                throw new ImageBuildException($"importing {tarball} failed: {e.ResponseBody?.Trim() ?? e.Message}", e);
            }
        }
        if (sink.Error is not null)
            throw new ImageBuildException($"importing {tarball} failed: {sink.Error}");
        if (!await ImageExistsAsync(reference, ct))
            throw new ImageBuildException($"importing {tarball}: the engine did not create {reference}; last output:\n{string.Join('\n', sink.Tail)}");
    }

    /// <summary>A coarse fraction for debootstrap's "I: ..." lines, by phase; never goes backwards.</summary>
    private sealed class DebootstrapPhases
    {
        private double _current;

        public double? Advance(string line)
        {
            double? at = line switch
            {
                _ when line.StartsWith("I: Retrieving Release", StringComparison.Ordinal) => 0.01,
                _ when line.StartsWith("I: Retrieving", StringComparison.Ordinal) => 0.05,
                _ when line.StartsWith("I: Validating", StringComparison.Ordinal) => 0.30,
                _ when line.StartsWith("I: Extracting", StringComparison.Ordinal) => 0.35,
                _ when line.StartsWith("I: Installing core packages", StringComparison.Ordinal) => 0.40,
                _ when line.StartsWith("I: Unpacking", StringComparison.Ordinal) => 0.45,
                _ when line.StartsWith("I: Configuring", StringComparison.Ordinal) => 0.70,
                _ when line.StartsWith("I: Base system installed successfully", StringComparison.Ordinal) => 1.0,
                _ => null,
            };
            if (at is { } a && a > _current) _current = a;
            return _current;
        }
    }
}

/// <summary>A read-only pass-through stream that reports how much of it has been read, in 5 % steps.</summary>
internal sealed class ReadProgressStream(Stream inner, long length, Action<double> report) : Stream
{
    private long _read;
    private int _lastStep = -1;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int n)
    {
        _read += n;
        if (length > 0)
        {
            var step = (int)(Math.Min(1.0, _read / (double)length) * 20);
            if (step > _lastStep)
            {
                _lastStep = step;
                report(step / 20.0);
            }
        }
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
