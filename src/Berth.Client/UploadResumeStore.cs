using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Client;

/// <summary>
/// Identifies one resumable upload: the same file (same length and modification time) going to the same
/// path of the same folder on the same server. A changed file gets a different key and starts over.
/// </summary>
/// <param name="Endpoint">The manager endpoint, as the client was built with.</param>
/// <param name="FolderId">The folder's id (or, when it could not be resolved, the name the caller used).</param>
/// <param name="DestPath">The destination path inside the folder.</param>
/// <param name="Length">The local file's length in bytes.</param>
/// <param name="LastWriteUtc">The local file's last-write time, UTC.</param>
public sealed record UploadResumeKey(string Endpoint, string FolderId, string DestPath, long Length, DateTime LastWriteUtc);

/// <summary>Remembers where an unfinished tus upload lives so that a re-run can continue it.</summary>
public interface IUploadResumeStore
{
    /// <summary>The upload location (as the server's <c>Location</c> header gave it, resolved to an absolute URI), or null.</summary>
    string? Get(UploadResumeKey key);

    void Set(UploadResumeKey key, string location);

    void Remove(UploadResumeKey key);
}

/// <summary>
/// A resume store kept as one JSON file (by the CLI: <c>uploads.json</c> in its config directory), created
/// with mode 0600. Each call re-reads the file and replaces it atomically, so concurrent CLI runs at worst
/// lose a resume entry, never corrupt the file. Entries older than <see cref="MaxAge"/> are dropped.
/// </summary>
public sealed class FileUploadResumeStore : IUploadResumeStore
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly object _gate = new();

    public FileUploadResumeStore(string path) => FilePath = path;

    public string FilePath { get; }

    public string? Get(UploadResumeKey key)
    {
        lock (_gate)
        {
            return Load().Entries.FirstOrDefault(e => e.Matches(key))?.Location;
        }
    }

    public void Set(UploadResumeKey key, string location)
    {
        lock (_gate)
        {
            var file = Load();
            var now = DateTimeOffset.UtcNow;
            file.Entries.RemoveAll(e => e.Matches(key) || now - e.UpdatedAt > MaxAge);
            file.Entries.Add(ResumeEntry.From(key, location, now));
            Save(file);
        }
    }

    public void Remove(UploadResumeKey key)
    {
        lock (_gate)
        {
            var file = Load();
            if (file.Entries.RemoveAll(e => e.Matches(key)) > 0) Save(file);
        }
    }

    private ResumeFile Load()
    {
        try
        {
            if (!File.Exists(FilePath)) return new ResumeFile();
            using var stream = File.OpenRead(FilePath);
            return JsonSerializer.Deserialize<ResumeFile>(stream, Json) ?? new ResumeFile();
        }
        catch (JsonException)
        {
            // A damaged resume file only costs a restart of the uploads; never fail the command over it.
            return new ResumeFile();
        }
    }

    private void Save(ResumeFile file)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(FilePath))!;
        Directory.CreateDirectory(dir);
        var temp = FilePath + ".tmp-" + Environment.ProcessId;
        PrivateFile.WriteAllText(temp, JsonSerializer.Serialize(file, Json));
        File.Move(temp, FilePath, overwrite: true);
    }

    internal sealed class ResumeFile
    {
        [JsonPropertyName("version")] public int Version { get; set; } = 1;
        [JsonPropertyName("entries")] public List<ResumeEntry> Entries { get; set; } = [];
    }

    internal sealed class ResumeEntry
    {
        public string Endpoint { get; set; } = "";
        public string FolderId { get; set; } = "";
        public string DestPath { get; set; } = "";
        public long Length { get; set; }
        public DateTime LastWriteUtc { get; set; }
        public string Location { get; set; } = "";
        public DateTimeOffset UpdatedAt { get; set; }

        public bool Matches(UploadResumeKey k) =>
            string.Equals(Endpoint, k.Endpoint, StringComparison.OrdinalIgnoreCase) && FolderId == k.FolderId &&
            DestPath == k.DestPath && Length == k.Length && LastWriteUtc.ToUniversalTime() == k.LastWriteUtc.ToUniversalTime();

        public static ResumeEntry From(UploadResumeKey k, string location, DateTimeOffset now) => new()
        {
            Endpoint = k.Endpoint, FolderId = k.FolderId, DestPath = k.DestPath, Length = k.Length,
            LastWriteUtc = k.LastWriteUtc.ToUniversalTime(), Location = location, UpdatedAt = now,
        };
    }
}

/// <summary>Writes files only their owner can read (0600 on Unix): they hold secrets or upload locations.</summary>
public static class PrivateFile
{
    public static void WriteAllText(string path, string contents)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(contents);
        }
        // UnixCreateMode only applies to new files; tighten a file that existed with looser bits.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public static void EnsurePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(path); return; }
        // An existing directory keeps the mode its owner gave it; a new one is private.
        if (!Directory.Exists(path))
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
