using Berth.Core.Problems;
using Berth.Storage.Native;
using Berth.Storage.Paths;

namespace Berth.Storage.FileSystem;

/// <summary>Turns syscall failures on a user's path into problems with stable rule ids.</summary>
public static class StorageErrors
{
    public static BerthProblemException From(PosixException e, FolderPath path, string field) => From(e.Errno, path, field, e);

    public static BerthProblemException From(int errno, FolderPath path, string field, Exception? inner = null)
    {
        var shown = path.IsRoot ? "the folder root" : $"'{path}'";
        var problem = errno switch
        {
            Posix.ENOENT => Problem.NotFound("path-not-found", $"{shown} does not exist.", field),
            Posix.ELOOP => SymlinkNotFollowed(path, field),
            Posix.ENOTDIR => NotADirectory(path, field),
            Posix.EEXIST => Problem.Conflict("already-exists", $"{shown} already exists.", field),
            Posix.ENOTEMPTY => Problem.Conflict("directory-not-empty", $"{shown} is a directory that is not empty.", field),
            Posix.EISDIR => Problem.Conflict("is-a-directory", $"{shown} is a directory.", field),
            Posix.ENAMETOOLONG => Problem.Invalid(field, "path-invalid", $"{shown} is too long."),
            Posix.ENOSPC or Posix.EDQUOT => new Problem(507, "insufficient-storage", "The storage volume is full."),
            Posix.EACCES or Posix.EPERM => Problem.Forbidden("permission-denied", $"The storage is not allowed to access {shown}.", field),
            Posix.EBUSY => Problem.Conflict("busy", $"{shown} is in use.", field),
            _ => null,
        };
        if (problem is null) throw new IOException($"Unexpected errno {errno} on '{path}'.", inner);
        return problem.ToException();
    }

    public static Problem SymlinkNotFollowed(FolderPath path, string field) =>
        Problem.Forbidden("symlink-not-followed", $"'{path}' is a symbolic link; the storage never follows links.", field);

    public static Problem NotADirectory(FolderPath path, string field) =>
        Problem.Invalid(field, "not-a-directory", $"'{path}' is not a directory.");

    public static Problem RootNotAllowed(string field, string what) =>
        Problem.Invalid(field, "path-is-root", $"The folder root cannot be {what}.");
}
