using System.Runtime.InteropServices;

namespace Berth.Cli;

/// <summary>
/// The local terminal in raw mode (as <c>stty raw -echo</c>: no line editing, no echo, no signals from Ctrl-C/Ctrl-Z,
/// no output processing) for as long as a remote shell owns it; disposing — or the process ending — restores it.
/// Done with tcgetattr/cfmakeraw/tcsetattr on stdin rather than by running stty, so no child process is involved
/// (the .NET runtime adjusts the terminal around child processes) and the saved settings are opaque bytes.
/// While it is in effect nothing may touch <see cref="Console"/>'s terminal support: its first use puts the terminal
/// in .NET's own mode and reads stdin line by line with its own echo; use raw file descriptors and <see cref="WindowSize"/>.
/// </summary>
internal sealed partial class RawMode : IDisposable
{
    private const int StdinFd = 0;
    private const int TcsaNow = 0;
    // Larger than struct termios on Linux (60 bytes) and macOS (72); the layout never matters here.
    private const int TermiosBytes = 256;

    private readonly byte[] _saved;
    private int _restored;

    private RawMode(byte[] saved)
    {
        _saved = saved;
        AppDomain.CurrentDomain.ProcessExit += OnExit;
    }

    /// <summary>Null when stdin is not a terminal (or the platform has no termios): then nothing changes.</summary>
    public static RawMode? Enter()
    {
        if (OperatingSystem.IsWindows()) return null;
        try
        {
            var saved = new byte[TermiosBytes];
            if (TcGetAttr(StdinFd, saved) != 0) return null;
            var raw = (byte[])saved.Clone();
            CfMakeRaw(raw);
            if (TcSetAttr(StdinFd, TcsaNow, raw) != 0) return null;
            return new RawMode(saved);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private void OnExit(object? sender, EventArgs e) => Dispose();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _restored, 1) == 1) return;
        TcSetAttr(StdinFd, TcsaNow, _saved);
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
    }

    /// <summary>The terminal's size from the kernel (TIOCGWINSZ on stdout, else stdin); null when neither is a terminal.</summary>
    public static (int Cols, int Rows)? WindowSize()
    {
        if (OperatingSystem.IsWindows()) return null;
        var request = OperatingSystem.IsMacOS() ? 0x40087468UL : 0x5413UL;
        var size = new byte[8]; // struct winsize: rows, cols, xpixel, ypixel (unsigned short each)
        foreach (var fd in new[] { 1, 0 })
        {
            try
            {
                if (IoCtl(fd, request, size) != 0) continue;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }
            int rows = BitConverter.ToUInt16(size, 0), cols = BitConverter.ToUInt16(size, 2);
            if (rows > 0 && cols > 0) return (cols, rows);
        }
        return null;
    }

    [LibraryImport("libc", EntryPoint = "ioctl")]
    private static partial int IoCtl(int fd, ulong request, [Out] byte[] winsize);

    [LibraryImport("libc", EntryPoint = "tcgetattr")]
    private static partial int TcGetAttr(int fd, [Out] byte[] termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr")]
    private static partial int TcSetAttr(int fd, int optionalActions, byte[] termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    private static partial void CfMakeRaw([In, Out] byte[] termios);
}
