using Berth.Storage.Backend;
using Berth.Storage.Tests.Support;
using static Berth.Storage.Tests.Support.StorageEnvironment;

namespace Berth.Storage.Tests.Backend;

/// <summary>A clone takes no more disk than its source: holes stay holes, hard links stay links, and a clone that cannot fit is refused first.</summary>
public class CloneSpaceTests : IAsyncLifetime
{
    private const long GiB = 1L << 30;
    private StorageEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await StartAsync();
    public async Task DisposeAsync() => await _env.DisposeAsync();

    private IStorageBackend Backend => _env.Backend;
    private string Source(string name) => Path.Combine(_env.FolderDir, name);
    private string InClone(Guid clone, string name) => Path.Combine(_env.Volume, clone.ToString("N"), name);

    [Fact]
    public async Task A_sparse_file_clones_without_filling_its_holes()
    {
        var path = Source("sparse.img");
        var marker = "data in the middle"u8.ToArray();
        using (var file = File.Create(path))
        {
            file.SetLength(GiB);
            file.Position = GiB / 2;
            file.Write(marker);
        }
        var source = DiskUsage.Stat(path);
        Assert.True(source.AllocatedBytes < 1 << 20, $"the test file itself is not sparse here ({source.AllocatedBytes} bytes allocated)");

        var clone = Guid.NewGuid();
        await Backend.CloneFolderAsync("local", _env.FolderId, "local", clone, null, default);

        var copy = DiskUsage.Stat(InClone(clone, "sparse.img"));
        Assert.Equal(GiB, copy.Size);
        Assert.True(copy.Blocks <= source.Blocks, $"the clone uses {copy.Blocks} blocks, the source {source.Blocks}");
        using var read = File.OpenRead(InClone(clone, "sparse.img"));
        var buffer = new byte[marker.Length];
        read.Position = GiB / 2;
        read.ReadExactly(buffer);
        Assert.Equal(marker, buffer);
        read.Position = GiB - 16;
        read.ReadExactly(buffer.AsSpan(0, 16));
        Assert.All(buffer[..16], b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task Hard_links_stay_one_inode_in_the_clone()
    {
        File.WriteAllBytes(Source("a.bin"), new byte[100_000]);
        Directory.CreateDirectory(Source("nested"));
        DiskUsage.HardLink(Source("a.bin"), Source("b.bin"));
        DiskUsage.HardLink(Source("a.bin"), Source("nested/c.bin"));

        var clone = Guid.NewGuid();
        await Backend.CloneFolderAsync("local", _env.FolderId, "local", clone, null, default);

        var a = DiskUsage.Stat(InClone(clone, "a.bin"));
        var b = DiskUsage.Stat(InClone(clone, "b.bin"));
        var c = DiskUsage.Stat(InClone(clone, "nested/c.bin"));
        Assert.Equal(a.Inode, b.Inode);
        Assert.Equal(a.Inode, c.Inode);
        Assert.Equal(3u, a.Links);
        Assert.NotEqual(DiskUsage.Stat(Source("a.bin")).Inode, a.Inode); // a copy, not a link into the source
        Assert.Equal((await Backend.GetUsageAsync("local", _env.FolderId, default)).Bytes, (await Backend.GetUsageAsync("local", clone, default)).Bytes);
    }

    [Fact]
    public async Task Usage_counts_allocated_blocks_once_per_inode()
    {
        var before = await Backend.GetUsageAsync("local", _env.FolderId, default);
        using (var sparse = File.Create(Source("hole.img"))) sparse.SetLength(10 * GiB);
        File.WriteAllBytes(Source("real.bin"), new byte[1 << 20]);
        for (var i = 0; i < 5; i++) DiskUsage.HardLink(Source("real.bin"), Source($"link{i}.bin"));

        var after = await Backend.GetUsageAsync("local", _env.FolderId, default);
        Assert.Equal(DiskUsage.OfContents(_env.FolderDir), after.Bytes);
        Assert.InRange(after.Bytes - before.Bytes, 1 << 20, (1 << 20) + (64 << 10)); // the 1 MiB once; the 10 GiB hole costs nothing
        Assert.Equal(before.ApparentBytes + 10 * GiB + (1 << 20), after.ApparentBytes);
        Assert.Equal(before.Files + 7, after.Files);
    }

    [Fact]
    public async Task A_clone_over_its_quota_is_refused_before_anything_is_copied()
    {
        File.WriteAllBytes(Source("real.bin"), new byte[2 << 20]);
        var clone = Guid.NewGuid();
        var e = await ThrowsProblem("quota-exceeded",
            () => Backend.CloneFolderAsync("local", _env.FolderId, "local", clone, 1 << 20, default));
        Assert.Equal(413, e.Problem.Status);
        Assert.False(Directory.Exists(Path.Combine(_env.Volume, clone.ToString("N"))));

        // A sparse file is judged by what it allocates: it fits a quota far smaller than its length.
        File.Delete(Source("real.bin"));
        using (var sparse = File.Create(Source("hole.img"))) sparse.SetLength(GiB);
        await Backend.CloneFolderAsync("local", _env.FolderId, "local", clone, 1 << 20, default);
        Assert.Equal(GiB, new FileInfo(InClone(clone, "hole.img")).Length);
    }
}
