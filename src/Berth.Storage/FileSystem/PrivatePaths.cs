namespace Berth.Storage.FileSystem;

/// <summary>
/// Directories and files that only the account Berth runs as may open: the data directory (database, secrets),
/// storage volume roots and scratch roots. Sessions do not need to traverse them: Docker resolves bind-mount
/// sources as root, and each folder inside is owned by the session user. Other local users of the host are
/// stopped at the top.
/// </summary>
public static class PrivatePaths
{
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> as 0700, or takes group and other bits away from an existing one.</summary>
    public static void EnsureDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(path); return; }
        if (!Directory.Exists(path)) Directory.CreateDirectory(path, OwnerOnlyDirectory);
        Restrict(path, OwnerOnlyDirectory);
    }

    /// <summary>Makes an existing file 0600 (no-op when it does not exist), e.g. the database and its journal.</summary>
    public static void RestrictFile(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path)) return;
        Restrict(path, OwnerOnlyFile);
    }

    private static void Restrict(string path, UnixFileMode keep)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & ~keep & (UnixFileMode)0x1FF) != 0) File.SetUnixFileMode(path, mode & keep);
    }
}
