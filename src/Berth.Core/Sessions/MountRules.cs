using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.VFolders;

namespace Berth.Core.Sessions;

/// <summary>A folder as the caller looked it up for the session's owner: its status and the permission the owner holds on it.</summary>
public sealed record FolderCandidate(Guid Id, string Name, string Host, VFolderPermission Granted, VFolderStatus Status);

/// <summary>
/// One bind mount of a session. <see cref="Permission"/> is kept as asked (<c>wd</c> stays <c>wd</c>);
/// the container mounts it read-only only when it is <see cref="VFolderPermission.ReadOnly"/>.
/// </summary>
public sealed record ResolvedMount(Guid FolderId, string FolderName, string Host, string ContainerPath, VFolderPermission Permission, bool AutoMount);

/// <summary>A mount target already taken: which folder, at which normalised container path.</summary>
public sealed record MountTarget(string FolderName, string ContainerPath);

/// <summary>Explicit mounts in request order, then auto-mounted dot-folders; warnings for dot-folders that were skipped.</summary>
public sealed record MountPlan(IReadOnlyList<ResolvedMount> Mounts, IReadOnlyList<string> Warnings)
{
    public static MountPlan Empty { get; } = new([], []);
}

/// <summary>
/// Decides where, and how, a session's folders are mounted. Explicitly requested folders are checked
/// (found, ready, not twice, a safe target path that overlaps no other, no more permission than granted);
/// the owner's dot-folders then follow automatically unless they are unusable or their place is taken,
/// which only earns a warning.
/// </summary>
public static class MountRules
{
    public const int MaxPathLength = 255;
    public const string LinuxbrewFolderName = ".linuxbrew";

    /// <summary>System directories: a mount on, under or above one of these is refused.</summary>
    public static readonly IReadOnlyList<string> SystemTrees =
    [
        "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/root",
        "/run", "/sbin", "/sys", "/tmp", "/usr", "/var", "/opt/berth",
    ];

    /// <summary>Places in the home directory that the platform fills in itself: a mount on or under them is refused.</summary>
    public static readonly IReadOnlyList<string> PlatformHomeTrees =
    [
        SessionPaths.Home + "/.ssh", SessionPaths.Home + "/.jupyter",
        SessionPaths.Home + "/.terminfo", SessionPaths.Home + "/.tmux.conf",
    ];

    /// <summary>Where a folder goes when no path is asked: <c>/home/work/NAME</c>, but <c>.linuxbrew</c> at <see cref="SessionPaths.LinuxbrewRoot"/>.</summary>
    public static string DefaultTarget(string folderName) =>
        folderName == LinuxbrewFolderName ? SessionPaths.LinuxbrewRoot : SessionPaths.Home + "/" + folderName;

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or lies below it, by whole path components.</summary>
    public static bool IsAtOrUnder(string path, string root) =>
        path == root || root == "/" || path.StartsWith(root + "/", StringComparison.Ordinal);

    /// <summary>True when two normalised targets are the same or one contains the other (<c>/data</c> and <c>/data/x</c>, not <c>/data</c> and <c>/database</c>).</summary>
    public static bool Overlaps(string a, string b) => IsAtOrUnder(a, b) || IsAtOrUnder(b, a);

    /// <summary>
    /// The normalised container path for a requested <paramref name="path"/>: empty → <see cref="DefaultTarget"/>,
    /// relative → under /home/work, absolute → as given; '//' collapsed, '.' dropped, no trailing '/'.
    /// Refuses '..', control characters, ':' and ',', paths over 255 characters and reserved places.
    /// </summary>
    public static Problem? ResolveTarget(string? path, string folderName, string field, out string target)
    {
        target = "";
        var raw = string.IsNullOrEmpty(path) ? DefaultTarget(folderName) : path;
        foreach (var c in raw)
        {
            if (char.IsControl(c))
                return Problem.Invalid(field, "mount-path-invalid",
                    $"The mount path contains a control character (U+{(int)c:X4}); use printable characters only.");
            if (c is ':' or ',')
                return Problem.Invalid(field, "mount-path-invalid",
                    $"The mount path {ProblemText.Quote(raw)} contains '{c}'; ':' and ',' cannot appear in mount paths.");
        }
        var combined = raw.StartsWith('/') ? raw : SessionPaths.Home + "/" + raw;
        var parts = combined.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
            return Problem.Invalid(field, "mount-path-dotdot",
                $"The mount path {ProblemText.Quote(raw)} contains '..'; give a path without '..' components.");
        var normalised = "/" + string.Join('/', parts);
        if (normalised.Length > MaxPathLength)
            return Problem.Invalid(field, "mount-path-too-long",
                $"The mount path is {normalised.Length} characters long; at most {MaxPathLength} are allowed.");
        if (ReservedWhy(normalised) is { } why)
            return Problem.Invalid(field, "mount-path-reserved", $"Folders cannot be mounted at {normalised}: {why}");
        target = normalised;
        return null;
    }

    /// <summary>
    /// The target of <c>mounts[index]</c> (see <see cref="ResolveTarget"/>), also refused when it is, contains or lies
    /// inside one of the <paramref name="earlier"/> mounts' targets. One rule for the API's <see cref="Resolve"/> and
    /// for the console's launcher, which checks the form before it sends it.
    /// </summary>
    public static Problem? ResolveTargetAmong(int index, string folderName, string? path, IEnumerable<MountTarget> earlier, out string target)
    {
        var field = $"mounts[{index}].path";
        if (ResolveTarget(path, folderName, field, out target) is { } pathProblem)
            return pathProblem;
        foreach (var other in earlier)
        {
            if (other.ContainerPath == target)
                return Problem.Invalid(field, "mount-path-duplicate",
                    $"{target} is already the mount point of '{other.FolderName}'; give each folder its own path.");
            if (Overlaps(other.ContainerPath, target))
                return Problem.Invalid(field, "mount-path-overlap",
                    $"{target} overlaps {other.ContainerPath}, where '{other.FolderName}' is mounted; mount points may not be inside one another.");
        }
        return null;
    }

    private static string? ReservedWhy(string target)
    {
        if (target == "/")
            return "that is the container's root; mount under /home/work instead.";
        if (IsAtOrUnder(SessionPaths.Home, target))
            return target == SessionPaths.Home
                ? $"that is the home directory itself; mount below it, e.g. {SessionPaths.Home}/data."
                : $"it would hide the home directory {SessionPaths.Home}; mount under /home/work instead.";
        if (IsAtOrUnder(SessionPaths.LinuxbrewRoot, target) && target != SessionPaths.LinuxbrewRoot)
            return $"it would hide {SessionPaths.LinuxbrewRoot}, where the .linuxbrew folder goes; mount under /home/work instead.";
        foreach (var tree in SystemTrees)
        {
            if (IsAtOrUnder(target, tree))
                return $"it is inside the system directory {tree}; mount under /home/work instead.";
            if (IsAtOrUnder(tree, target))
                return $"it would hide the system directory {tree}; mount under /home/work instead.";
        }
        foreach (var tree in PlatformHomeTrees)
        {
            if (IsAtOrUnder(target, tree))
                return $"{tree} is set up by Berth in every session; mount somewhere else under /home/work.";
        }
        return null;
    }

    /// <summary>
    /// Checks the requested mounts in order and adds the owner's dot-folders. Returns the first problem
    /// (with <paramref name="plan"/> empty), or null with the plan.
    /// </summary>
    /// <param name="requested">Each requested mount with the folder the caller found for it; null when the owner cannot access a folder by that name.</param>
    /// <param name="ownerDotFolders">The owner's dot-folders (names starting with '.'); other names are ignored.</param>
    public static Problem? Resolve(
        IReadOnlyList<(MountRequestDto Request, FolderCandidate? Folder)> requested,
        IReadOnlyList<FolderCandidate> ownerDotFolders,
        out MountPlan plan)
    {
        plan = MountPlan.Empty;
        var mounts = new List<ResolvedMount>();
        var mountedBy = new Dictionary<Guid, int>(); // folder id → request index
        for (var i = 0; i < requested.Count; i++)
        {
            var (request, folder) = requested[i];
            var problem = ResolveOne(i, request, folder, mounts, mountedBy, out var mount);
            if (problem is not null) return problem;
            mountedBy[mount!.FolderId] = i;
            mounts.Add(mount);
        }

        var warnings = mounts.Where(m => m.Permission == VFolderPermission.ReadWrite).Select(ReadWriteDeletesWarning).ToList();
        var seen = new HashSet<Guid>(mountedBy.Keys);
        foreach (var dot in ownerDotFolders)
        {
            if (!VFolderNameRules.IsAutoMount(dot.Name) || !seen.Add(dot.Id)) continue;
            if (dot.Status != VFolderStatus.Ready)
            {
                warnings.Add($"'{dot.Name}' is {dot.Status.ToWire()}; not mounted.");
                continue;
            }
            if (ResolveTarget(null, dot.Name, "", out var target) is { } bad)
            {
                warnings.Add($"'{dot.Name}' not auto-mounted: {bad.Detail}");
                continue;
            }
            var clash = mounts.FirstOrDefault(m => Overlaps(m.ContainerPath, target));
            if (clash is not null)
            {
                warnings.Add(clash.ContainerPath == target
                    ? $"'{dot.Name}' not auto-mounted: {target} is taken by folder '{clash.FolderName}'."
                    : $"'{dot.Name}' not auto-mounted: {target} overlaps {clash.ContainerPath} (folder '{clash.FolderName}').");
                continue;
            }
            mounts.Add(new ResolvedMount(dot.Id, dot.Name, dot.Host, target, dot.Granted, AutoMount: true));
        }
        plan = new MountPlan(mounts, warnings);
        return null;
    }

    /// <summary>
    /// A bind mount cannot let programs create and change files yet stop them deleting: inside a session
    /// <c>rw</c> also deletes, where the API's <c>rw</c> does not. Said on every such mount rather than
    /// left for the user to discover (docs/security.md, "Mount permissions").
    /// </summary>
    public static string ReadWriteDeletesWarning(ResolvedMount mount) =>
        $"'{mount.FolderName}' is mounted rw: inside a session rw also lets programs delete and replace files (the API needs wd for that); mount it ro to protect its files.";

    private static Problem? ResolveOne(
        int i, MountRequestDto? request, FolderCandidate? folder, List<ResolvedMount> earlier,
        Dictionary<Guid, int> mountedBy, out ResolvedMount? mount)
    {
        mount = null;
        var at = $"mounts[{i}]";
        if (request is null || string.IsNullOrWhiteSpace(request.Folder))
            return Problem.Invalid(at + ".folder", "required", "Each mount needs the name of a folder.");
        if (folder is null)
            return Problem.NotFound("folder-not-found",
                $"There is no folder {ProblemText.Quote(request.Folder)} that you can access.", at + ".folder");
        if (folder.Status != VFolderStatus.Ready)
            return Problem.Conflict("folder-not-mountable",
                $"'{folder.Name}' cannot be mounted: {StatusWhy(folder.Status)}. Only ready folders can be mounted.", at + ".folder");
        if (mountedBy.TryGetValue(folder.Id, out var first))
            return Problem.Invalid(at + ".folder", "mount-folder-duplicate",
                $"'{folder.Name}' is already mounted by mounts[{first}]; mount each folder once.");

        if (ResolveTargetAmong(i, folder.Name, request.Path, earlier.Select(m => new MountTarget(m.FolderName, m.ContainerPath)), out var target) is { } pathProblem)
            return pathProblem;

        var permission = folder.Granted;
        if (!string.IsNullOrWhiteSpace(request.Permission))
        {
            if (!VFolderWire.TryParsePermission(request.Permission, out var asked))
                return Problem.Invalid(at + ".permission", "permission-invalid",
                    $"{ProblemText.Quote(request.Permission)} is not a permission; use ro, rw or wd.");
            if (asked > folder.Granted)
                return Problem.Forbidden("mount-permission-denied",
                    $"You may mount '{folder.Name}' with at most '{folder.Granted.ToWire()}', not '{asked.ToWire()}'.", at + ".permission");
            permission = asked;
        }
        mount = new ResolvedMount(folder.Id, folder.Name, folder.Host, target, permission, AutoMount: false);
        return null;
    }

    private static string StatusWhy(VFolderStatus status) => status switch
    {
        VFolderStatus.DeletePending => "it is in the trash (delete-pending)",
        VFolderStatus.Purging => "it is being purged",
        VFolderStatus.Cloning => "it is still being cloned",
        VFolderStatus.Error => "it is in an error state",
        _ => $"it is {status.ToWire()}",
    };
}
