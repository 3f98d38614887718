namespace Berth.Core.Sessions;

/// <summary>Fixed places inside every session container.</summary>
public static class SessionPaths
{
    /// <summary>The work user's home; folders mount under it by default.</summary>
    public const string Home = "/home/work";

    /// <summary>Where the <c>.linuxbrew</c> dot-folder mounts, so Homebrew finds its prefix.</summary>
    public const string LinuxbrewRoot = "/home/linuxbrew/.linuxbrew";

    /// <summary>Prepended to PATH in sessions, so tools installed into auto-mounted dot-folders are found.</summary>
    public const string ExtraPath = "/home/work/.local/bin:/home/linuxbrew/.linuxbrew/bin";
}
