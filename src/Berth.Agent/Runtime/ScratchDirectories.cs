using System.Runtime.InteropServices;

namespace Berth.Agent.Runtime;

/// <summary>Each kernel's /home/work: a fresh host directory owned by the session user, removed with the kernel.</summary>
public sealed partial class ScratchDirectories(AgentOptions options)
{
    public string PathFor(Guid kernelId) => Path.Combine(options.ScratchRoot, kernelId.ToString("N"));

    public string Create(Guid kernelId)
    {
        var path = PathFor(kernelId);
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                   | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        if (Chown(path, options.ContainerUid, options.ContainerGid) != 0)
            throw new IOException($"chown {path} failed with errno {Marshal.GetLastPInvokeError()}");
        return path;
    }

    /// <summary>Removes the directory; links the session made inside are removed, never followed.</summary>
    public void Delete(Guid kernelId)
    {
        var path = PathFor(kernelId);
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }

    public IEnumerable<Guid> Existing() =>
        Directory.Exists(options.ScratchRoot)
            ? Directory.EnumerateDirectories(options.ScratchRoot)
                .Select(d => Guid.TryParseExact(Path.GetFileName(d), "N", out var id) ? id : Guid.Empty)
                .Where(id => id != Guid.Empty)
            : [];

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, int uid, int gid);
}
