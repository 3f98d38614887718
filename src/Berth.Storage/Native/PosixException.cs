using System.Runtime.InteropServices;

namespace Berth.Storage.Native;

/// <summary>A failed syscall; callers that know the user's path turn it into a problem.</summary>
public sealed class PosixException(int errno, string operation, string name)
    : IOException($"{operation}({name}) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
{
    public int Errno { get; } = errno;
    public string Operation { get; } = operation;
}
