namespace Berth.Client.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ResumeStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "berth-resume-" + Guid.NewGuid().ToString("N"));
    private string FilePath => Path.Combine(_dir, "uploads.json");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static UploadResumeKey Key(long length = 100, string dest = "a/b.bin", DateTime? mtime = null) =>
        new("http://127.0.0.1:8090/", "6f1c0f2e-0000-0000-0000-000000000001", dest, length,
            mtime ?? new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc));

    [Fact]
    public void Set_then_get_from_a_fresh_instance()
    {
        new FileUploadResumeStore(FilePath).Set(Key(), "http://127.0.0.1:8090/storage/v1/uploads/abc");
        Assert.Equal("http://127.0.0.1:8090/storage/v1/uploads/abc", new FileUploadResumeStore(FilePath).Get(Key()));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
    }

    [Fact]
    public void A_changed_file_does_not_match()
    {
        var store = new FileUploadResumeStore(FilePath);
        store.Set(Key(), "loc");
        Assert.Null(store.Get(Key(length: 101)));
        Assert.Null(store.Get(Key(mtime: new DateTime(2025, 1, 2, 3, 4, 6, DateTimeKind.Utc))));
        Assert.Null(store.Get(Key(dest: "a/c.bin")));
        Assert.Null(store.Get(Key() with { FolderId = "other" }));
        Assert.Null(store.Get(Key() with { Endpoint = "http://elsewhere/" }));
        Assert.Equal("loc", store.Get(Key()));
    }

    [Fact]
    public void Set_replaces_and_remove_forgets()
    {
        var store = new FileUploadResumeStore(FilePath);
        store.Set(Key(), "one");
        store.Set(Key(), "two");
        store.Set(Key(dest: "other"), "three");
        Assert.Equal("two", store.Get(Key()));
        store.Remove(Key());
        Assert.Null(store.Get(Key()));
        Assert.Equal("three", store.Get(Key(dest: "other")));
    }

    [Fact]
    public void Missing_or_damaged_file_is_empty()
    {
        var store = new FileUploadResumeStore(FilePath);
        Assert.Null(store.Get(Key()));
        Directory.CreateDirectory(_dir);
        File.WriteAllText(FilePath, "{garbage");
        Assert.Null(store.Get(Key()));
        store.Set(Key(), "loc");
        Assert.Equal("loc", store.Get(Key()));
    }
}
