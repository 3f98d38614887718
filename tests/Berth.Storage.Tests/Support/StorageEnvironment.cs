using System.Security.Cryptography;
using Berth.Core.Problems;
using Berth.Storage.Backend;
using Berth.Storage.Http;
using Berth.Storage.Tokens;
using Berth.Storage.Uploads;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Tests.Support;

/// <summary>
/// A real storage on real temp directories, served by Kestrel on 127.0.0.1 with a random port.
/// Layout: volume "local" holds the folder under test and a sibling folder "victim" with a
/// secret file that every escape attempt aims at; volume "other" is a second host.
/// </summary>
public sealed class StorageEnvironment : IAsyncDisposable
{
    public const string Secret = "0123456789abcdef0123456789abcdef-test-secret";
    public const string SecretContent = "top secret";

    private readonly WebApplication _app;

    public string Root { get; }
    public string Volume { get; }
    public string OtherVolume { get; }
    public Guid FolderId { get; } = Guid.NewGuid();
    public Guid VictimId { get; } = Guid.NewGuid();
    public string FolderDir => Path.Combine(Volume, FolderId.ToString("N"));
    public string VictimDir => Path.Combine(Volume, VictimId.ToString("N"));
    public string SecretFile => Path.Combine(VictimDir, "secret.txt");
    public HttpClient Http { get; }
    public IStorageBackend Backend => _app.Services.GetRequiredService<IStorageBackend>();
    public StorageTokenService Tokens => _app.Services.GetRequiredService<StorageTokenService>();
    public UploadStore Uploads => _app.Services.GetRequiredService<UploadStore>();
    public UploadCleanupService Cleanup => _app.Services.GetRequiredService<UploadCleanupService>();

    private StorageEnvironment(WebApplication app, string root)
    {
        _app = app;
        Root = root;
        Volume = Path.Combine(root, "local");
        OtherVolume = Path.Combine(root, "other");
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
    }

    public static async Task<StorageEnvironment> StartAsync(long? maxUploadBytes = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "berth-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var config = new Dictionary<string, string?>
        {
            ["Storage:Volumes:local"] = Path.Combine(root, "local"),
            ["Storage:Volumes:other"] = Path.Combine(root, "other"),
            ["Storage:TokenSecret"] = Secret,
        };
        if (maxUploadBytes is { } max) config["Storage:MaxUploadBytes"] = max.ToString();
        builder.Configuration.AddInMemoryCollection(config);
        var time = new ManualTimeProvider();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.AddBerthStorage();
        var app = builder.Build();
        app.MapBerthStorageApi();
        await app.StartAsync();
        var env = new StorageEnvironment(app, root);
        await env.SetUpFoldersAsync(time);
        return env;
    }

    private async Task SetUpFoldersAsync(ManualTimeProvider time)
    {
        _time = time;
        await Backend.CreateFolderAsync("local", FolderId, default);
        await Backend.CreateFolderAsync("local", VictimId, default);
        File.WriteAllText(SecretFile, SecretContent);
        Directory.CreateDirectory(Path.Combine(FolderDir, "dir", "sub"));
        File.WriteAllText(Path.Combine(FolderDir, "dir", "file.txt"), "hello");
        File.WriteAllText(Path.Combine(FolderDir, "dir", "sub", "deep.txt"), "deep");
        // Links a session could have planted: relative to a sibling folder, absolute, to /.
        File.CreateSymbolicLink(Path.Combine(FolderDir, "link-out"), "../" + VictimId.ToString("N"));
        File.CreateSymbolicLink(Path.Combine(FolderDir, "link-abs"), VictimDir);
        File.CreateSymbolicLink(Path.Combine(FolderDir, "link-root"), "/");
        File.CreateSymbolicLink(Path.Combine(FolderDir, "dir", "link-mid"), "../../" + VictimId.ToString("N"));
        File.CreateSymbolicLink(Path.Combine(FolderDir, "link-secret"), SecretFile);
    }

    private ManualTimeProvider? _time;

    /// <summary>The clock the app sees.</summary>
    public ManualTimeProvider Clock => _time!;

    public string Token(string operation, string path, long? quota = null, Guid? folder = null, string host = "local", TimeSpan? lifetime = null,
        Guid? user = null) =>
        Tokens.Issue(new StorageGrant(operation, host, folder ?? FolderId, path, quota, Clock.Now + (lifetime ?? TimeSpan.FromHours(1)), user));

    /// <summary>Every file outside the folder under test (the victim folder, the other volume, the temp root), with content hashes.</summary>
    /// <summary>Regular files under <paramref name="dir"/>, never descending through links (unlike Directory.EnumerateFiles).</summary>
    public static IEnumerable<string> FilesNoFollow(string dir)
    {
        foreach (var info in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            if (info.LinkTarget is not null) continue;
            if (info is DirectoryInfo) foreach (var f in FilesNoFollow(info.FullName)) yield return f;
            else yield return info.FullName;
        }
    }

    public SortedDictionary<string, string> SnapshotOutside()
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(Root);
        return snapshot;

        // Hand-rolled so that the snapshot itself never follows a link (link-root points at /).
        void Walk(string dir)
        {
            foreach (var info in new DirectoryInfo(dir).EnumerateFileSystemInfos())
            {
                var path = info.FullName;
                if (path == FolderDir || info.Name == ".berth-staging") continue;
                if (info.LinkTarget is { } target) snapshot[path] = "link:" + target;
                else if (info is DirectoryInfo)
                {
                    snapshot[path] = "dir";
                    Walk(path);
                }
                else snapshot[path] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
            }
        }
    }

    public void AssertSecretIntact()
    {
        Assert.True(File.Exists(SecretFile));
        Assert.Equal(SecretContent, File.ReadAllText(SecretFile));
    }

    public static async Task<BerthProblemException> ThrowsProblem(string rule, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<BerthProblemException>(action);
        Assert.Equal(rule, e.Problem.Rule);
        return e;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
