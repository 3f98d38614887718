using System.Text.Json;
using Berth.Core.Problems;
using Berth.Storage.FileSystem;
using Berth.Storage.Native;

namespace Berth.Storage.Uploads;

/// <summary>The files of one upload in a host's staging directory: <c>&lt;id&gt;.part</c> and its sidecar <c>&lt;id&gt;.json</c>.</summary>
internal static class UploadStaging
{
    public const int SidecarMode = 0b110_000_000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Part(string id) => id + ".part";

    public static string Sidecar(string id) => id + ".json";

    public static void CreateSidecar(SafeDir staging, UploadRecord record)
    {
        using var sidecar = staging.OpenFile(Sidecar(record.Id), Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL, SidecarMode);
        RandomAccess.Write(sidecar, JsonSerializer.SerializeToUtf8Bytes(record, Json), 0);
    }

    /// <summary>Replaces the sidecar in one rename, so a reader sees the old record or the new one, never half of one.</summary>
    public static void ReplaceSidecar(SafeDir staging, UploadRecord record)
    {
        var temp = record.Id + ".json.tmp";
        using (var file = staging.OpenFile(temp, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_TRUNC, SidecarMode))
            RandomAccess.Write(file, JsonSerializer.SerializeToUtf8Bytes(record, Json), 0);
        staging.Rename(temp, staging, Sidecar(record.Id));
    }

    public static UploadRecord? TryRead(SafeDir staging, string id)
    {
        try
        {
            using var handle = staging.OpenFile(Sidecar(id), Posix.O_RDONLY);
            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            return JsonSerializer.Deserialize<UploadRecord>(stream, Json);
        }
        catch (PosixException e) when (e.Errno == Posix.ENOENT)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static long PartLength(SafeDir staging, UploadRecord record) =>
        staging.Stat(Part(record.Id))?.Size ?? throw NotFound();

    public static void TryUnlink(SafeDir dir, string name)
    {
        try { dir.Unlink(name, directory: false); }
        catch (PosixException e) when (e.Errno == Posix.ENOENT) { }
    }

    public static BerthProblemException NotFound() =>
        Problem.NotFound("upload-not-found", "There is no such upload; it was never created here, or it finished or ended so long ago that it was forgotten.", "id").ToException();

    public static BerthProblemException Terminated() =>
        new Problem(410, "upload-terminated", "This upload was terminated (DELETE); create a new one.", "id").ToException();

    public static BerthProblemException Locked() =>
        new Problem(423, "upload-locked", "Another request is writing to this upload; retry when it has finished.", "id").ToException();
}
