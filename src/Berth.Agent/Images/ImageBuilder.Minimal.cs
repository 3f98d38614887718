using System.Buffers.Binary;
using System.Formats.Tar;

namespace Berth.Agent.Images;

public sealed partial class ImageBuilder
{
    /// <summary>Where Debian's busybox-static package puts busybox (/bin is /usr/bin on merged-/usr systems).</summary>
    public static IReadOnlyList<string> BusyboxCandidates { get; } = ["/bin/busybox", "/usr/bin/busybox"];

    private async Task<string> BuildMinimalAsync(IProgress<ImageBuildProgress>? progress, CancellationToken ct)
    {
        var reference = ReferenceFor(MinimalRecipe);
        var busybox = BusyboxCandidates.FirstOrDefault(File.Exists)
            ?? throw new ImageBuildException(
                "the minimal image needs a static busybox at /bin/busybox, and there is none; " +
                "install it with: apt-get install busybox-static");
        var binary = await File.ReadAllBytesAsync(busybox, ct);
        if (!IsStaticElf(binary))
            throw new ImageBuildException(
                $"{busybox} is not a statically linked program (Debian's 'busybox' package is dynamic), " +
                "so it cannot run in an image without libraries; install the static one with: apt-get install busybox-static");

        progress?.Report(new ImageBuildProgress("context", $"build context: {busybox} ({binary.Length} bytes)", null));
        var context = new MemoryStream();
        await using (var tar = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
        {
            AddFile(tar, "Dockerfile", Utf8(MinimalDockerfile()), Mode644);
            AddDirectory(tar, "rootfs/", Mode755);
            AddDirectory(tar, "rootfs/bin/", Mode755);
            AddFile(tar, "rootfs/bin/busybox", binary, Mode755);
            AddDirectory(tar, "rootfs/etc/", Mode755);
            AddFile(tar, "rootfs/etc/passwd", Utf8(
                "root:x:0:0:root:/root:/bin/sh\n" +
                "work:x:1000:1000:work:/home/work:/bin/sh\n"), Mode644);
            AddFile(tar, "rootfs/etc/group", Utf8(
                "root:x:0:\n" +
                "work:x:1000:\n"), Mode644);
        }
        context.Position = 0;
        await BuildFromContextAsync(context, reference, progress, ct);
        return reference;
    }

    private static string MinimalDockerfile() => $$"""
        FROM scratch
        COPY rootfs/ /
        RUN ["/bin/busybox", "--install", "-s", "/bin"]
        RUN ["/bin/sh", "-c", "mkdir -p /home/work /tmp /root /usr/bin /usr/local/bin && chown 1000:1000 /home/work && chmod 1777 /tmp && chmod 700 /root && ln -s /bin/env /usr/bin/env"]
        ENV PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/work
        WORKDIR /home/work
        {{LabelInstruction(MinimalRecipe)}}
        CMD ["/bin/sh"]

        """;

    /// <summary>True for an ELF executable without a program interpreter (PT_INTERP), i.e. statically linked.</summary>
    internal static bool IsStaticElf(ReadOnlySpan<byte> elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7F || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F') return false;
        var is64 = elf[4] == 2;
        var little = elf[5] == 1;
        var phoff = is64 ? Read(elf, little, 0x20, 8) : Read(elf, little, 0x1C, 4);
        var phentsize = (long)(is64 ? Read(elf, little, 0x36, 2) : Read(elf, little, 0x2A, 2));
        var phnum = (long)(is64 ? Read(elf, little, 0x38, 2) : Read(elf, little, 0x2C, 2));
        if (phentsize < 4 || phoff > (ulong)elf.Length) return false;
        const ulong PtInterp = 3;
        for (long i = 0; i < phnum; i++)
        {
            var at = (long)phoff + i * phentsize;
            if (at + 4 > elf.Length) return false;
            if (Read(elf, little, (int)at, 4) == PtInterp) return false;
        }
        return true;
    }

    private static ulong Read(ReadOnlySpan<byte> bytes, bool little, int offset, int size)
    {
        var s = bytes.Slice(offset, size);
        return size switch
        {
            2 => little ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s),
            4 => little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s),
            _ => little ? BinaryPrimitives.ReadUInt64LittleEndian(s) : BinaryPrimitives.ReadUInt64BigEndian(s),
        };
    }
}
