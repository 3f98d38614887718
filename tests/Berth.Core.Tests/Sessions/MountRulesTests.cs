using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Sessions;
using Berth.Core.VFolders;

namespace Berth.Core.Tests.Sessions;

public class MountRulesTests
{
    private static FolderCandidate Folder(string name, VFolderPermission granted = VFolderPermission.ReadWriteDelete,
        VFolderStatus status = VFolderStatus.Ready, string host = "local:volume1") =>
        new(Guid.NewGuid(), name, host, granted, status);

    private static (MountRequestDto, FolderCandidate?) Req(FolderCandidate? folder, string? path = null, string? permission = null, string? asName = null) =>
        (new MountRequestDto(asName ?? folder?.Name, path, permission), folder);

    private static MountPlan Ok(IReadOnlyList<FolderCandidate>? dots, params (MountRequestDto, FolderCandidate?)[] requested)
    {
        var p = MountRules.Resolve(requested, dots ?? [], out var plan);
        Assert.Null(p);
        return plan;
    }

    private static Problem Refused(IReadOnlyList<FolderCandidate>? dots, params (MountRequestDto, FolderCandidate?)[] requested)
    {
        var p = MountRules.Resolve(requested, dots ?? [], out var plan);
        Assert.NotNull(p);
        Assert.Empty(plan.Mounts);
        Assert.Empty(plan.Warnings);
        Assert.False(string.IsNullOrWhiteSpace(p.Detail));
        return p;
    }

    private static void Is(Problem p, string rule, string field, int status = 400) =>
        Assert.Equal((rule, field, status), (p.Rule, p.Field, p.Status));

    // ---- paths -------------------------------------------------------------------------------

    [Fact]
    public void Constants()
    {
        Assert.Equal("/home/work", SessionPaths.Home);
        Assert.Equal("/home/linuxbrew/.linuxbrew", SessionPaths.LinuxbrewRoot);
        Assert.Equal("/home/work/.local/bin:/home/linuxbrew/.linuxbrew/bin", SessionPaths.ExtraPath);
    }

    [Theory]
    [InlineData(null, "/home/work/data")]
    [InlineData("", "/home/work/data")]
    [InlineData("x", "/home/work/x")]
    [InlineData("x/y", "/home/work/x/y")]
    [InlineData("./x", "/home/work/x")]
    [InlineData("x/", "/home/work/x")]
    [InlineData("x//y/./z/", "/home/work/x/y/z")]
    [InlineData("/data", "/data")]
    [InlineData("/data/", "/data")]
    [InlineData("//data", "/data")]
    [InlineData("/mnt//a///b", "/mnt/a/b")]
    [InlineData("/mnt/./a/.", "/mnt/a")]
    [InlineData("/home/work/data", "/home/work/data")]
    [InlineData("/home/work/.local", "/home/work/.local")]
    [InlineData("/home/other", "/home/other")]
    [InlineData("/home/linuxbrew/.linuxbrew", "/home/linuxbrew/.linuxbrew")]
    [InlineData("/opt/tools", "/opt/tools")]
    [InlineData("/opt/berthold", "/opt/berthold")]
    [InlineData("/etcetera", "/etcetera")]
    [InlineData("/usrdata", "/usrdata")]
    [InlineData("/with space", "/with space")]
    [InlineData("/ünïcode", "/ünïcode")]
    [InlineData("...", "/home/work/...")]
    [InlineData(".x", "/home/work/.x")]
    public void Normalises_paths(string? path, string expected)
    {
        var plan = Ok(null, Req(Folder("data"), path));
        Assert.Equal(expected, Assert.Single(plan.Mounts).ContainerPath);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("x/../y")]
    [InlineData("/home/work/../etc")]
    [InlineData("/data/..")]
    [InlineData("/data/../")]
    public void Refuses_dotdot(string path) => Is(Refused(null, Req(Folder("data"), path)), "mount-path-dotdot", "mounts[0].path");

    [Theory]
    [InlineData("/data\0x")]
    [InlineData("/data\nx")]
    [InlineData("/data\tx")]
    [InlineData("/data\u007fx")]
    [InlineData("/data\u0085x")]
    [InlineData("/data:/etc")]
    [InlineData("/data:ro")]
    [InlineData("/a,b")]
    [InlineData("rel:x")]
    public void Refuses_bad_characters(string path) => Is(Refused(null, Req(Folder("data"), path)), "mount-path-invalid", "mounts[0].path");

    [Fact]
    public void Refuses_paths_longer_than_255()
    {
        var ok = "/" + new string('a', 254);
        Assert.Equal(ok, Assert.Single(Ok(null, Req(Folder("data"), ok)).Mounts).ContainerPath);
        Is(Refused(null, Req(Folder("data"), "/" + new string('a', 255))), "mount-path-too-long", "mounts[0].path");
        // Relative paths count with /home/work/ in front.
        Is(Refused(null, Req(Folder("data"), new string('a', 250))), "mount-path-too-long", "mounts[0].path");
    }

    [Fact]
    public void Length_is_measured_after_normalisation() =>
        Assert.Equal("/a", Assert.Single(Ok(null, Req(Folder("data"), "/" + string.Concat(Enumerable.Repeat("./", 200)) + "a")).Mounts).ContainerPath);

    [Theory]
    [InlineData("/")]
    [InlineData("//")]
    [InlineData("/.")]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("/home/work")]
    [InlineData("/home/work/")]
    [InlineData("/home")]
    [InlineData("/home/linuxbrew")]
    [InlineData("/bin")]
    [InlineData("/boot")]
    [InlineData("/dev")]
    [InlineData("/dev/shm")]
    [InlineData("/etc")]
    [InlineData("/etc/ssl/certs")]
    [InlineData("/lib")]
    [InlineData("/lib32")]
    [InlineData("/lib64")]
    [InlineData("/libx32")]
    [InlineData("/proc")]
    [InlineData("/proc/1")]
    [InlineData("/root")]
    [InlineData("/root/data")]
    [InlineData("/run")]
    [InlineData("/sbin")]
    [InlineData("/sys")]
    [InlineData("/tmp")]
    [InlineData("/tmp/scratch")]
    [InlineData("/usr")]
    [InlineData("/usr/local")]
    [InlineData("/var")]
    [InlineData("/var/lib/x")]
    [InlineData("/opt/berth")]
    [InlineData("/opt/berth/bin")]
    [InlineData("/opt")] // would hide /opt/berth
    [InlineData("/home/work/.ssh")]
    [InlineData(".ssh")]
    [InlineData(".ssh/keys")]
    [InlineData("/home/work/.jupyter")]
    [InlineData("/home/work/.terminfo")]
    [InlineData("/home/work/.tmux.conf")]
    public void Refuses_reserved_targets(string path)
    {
        var p = Refused(null, Req(Folder("data"), path));
        Is(p, "mount-path-reserved", "mounts[0].path");
        Assert.Contains("cannot be mounted at", p.Detail);
    }

    [Fact]
    public void Dot_folder_may_be_mounted_explicitly_at_its_auto_mount_place()
    {
        var local = Folder(".local");
        var m = Assert.Single(Ok([local], Req(local, "/home/work/.local")).Mounts);
        Assert.Equal(("/home/work/.local", false), (m.ContainerPath, m.AutoMount));
    }

    [Fact]
    public void Explicit_linuxbrew_without_a_path_goes_to_the_linuxbrew_root()
    {
        var brew = Folder(".linuxbrew");
        var m = Assert.Single(Ok([brew], Req(brew, permission: "ro")).Mounts);
        Assert.Equal((SessionPaths.LinuxbrewRoot, false, VFolderPermission.ReadOnly), (m.ContainerPath, m.AutoMount, m.Permission));
    }

    // ---- folders -----------------------------------------------------------------------------

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Folder_name_is_required(string? name)
    {
        var p = Refused(null, (new MountRequestDto(name), null));
        Is(p, "required", "mounts[0].folder");
    }

    [Fact]
    public void Unknown_folder_is_not_found()
    {
        var p = Refused(null, Req(Folder("a")), (new MountRequestDto("ghost"), null));
        Is(p, "folder-not-found", "mounts[1].folder", 404);
        Assert.Contains("ghost", p.Detail);
    }

    [Theory]
    [InlineData(VFolderStatus.DeletePending, "trash (delete-pending)")]
    [InlineData(VFolderStatus.Purging, "purged")]
    [InlineData(VFolderStatus.Cloning, "cloned")]
    [InlineData(VFolderStatus.Error, "error")]
    public void Folder_must_be_ready(VFolderStatus status, string why)
    {
        var p = Refused(null, Req(Folder("data", status: status)));
        Is(p, "folder-not-mountable", "mounts[0].folder", 409);
        Assert.Contains(why, p.Detail);
        Assert.Contains("'data'", p.Detail);
    }

    [Fact]
    public void Same_folder_twice_is_refused_even_at_different_paths()
    {
        var data = Folder("data");
        var p = Refused(null, Req(data, "/a"), Req(data, "/b"));
        Is(p, "mount-folder-duplicate", "mounts[1].folder");
        Assert.Contains("mounts[0]", p.Detail);
    }

    [Fact]
    public void Same_folder_twice_is_detected_by_id_not_by_the_name_typed()
    {
        var data = Folder("data");
        Is(Refused(null, Req(data), Req(data, "/b", asName: data.Id.ToString())), "mount-folder-duplicate", "mounts[1].folder");
    }

    [Fact]
    public void Default_path_uses_the_folder_name_not_what_was_typed()
    {
        var data = Folder("data");
        Assert.Equal("/home/work/data", Assert.Single(Ok(null, Req(data, asName: data.Id.ToString())).Mounts).ContainerPath);
    }

    // ---- duplicate and overlapping targets ---------------------------------------------------

    [Theory]
    [InlineData("/data", "/data")]
    [InlineData("/data", "/data/")]
    [InlineData("/data", "//data/.")]
    [InlineData("x", "/home/work/x")]
    public void Duplicate_target_is_refused(string first, string second)
    {
        var p = Refused(null, Req(Folder("a"), first), Req(Folder("b"), second));
        Is(p, "mount-path-duplicate", "mounts[1].path");
        Assert.Contains("'a'", p.Detail);
    }

    [Fact]
    public void Default_target_colliding_with_an_explicit_path_is_a_duplicate() =>
        Is(Refused(null, Req(Folder("a"), "b"), Req(Folder("b"))), "mount-path-duplicate", "mounts[1].path");

    [Theory]
    [InlineData("/data", "/data/x")]
    [InlineData("/data/x", "/data")]
    [InlineData("/data", "/data/x/y/z")]
    [InlineData("/home/work/a", "a/b")]
    [InlineData("/mnt", "/mnt/a")]
    public void Overlapping_targets_are_refused(string first, string second)
    {
        var p = Refused(null, Req(Folder("a"), first), Req(Folder("b"), second));
        Is(p, "mount-path-overlap", "mounts[1].path");
        Assert.Contains("overlaps", p.Detail);
    }

    [Theory]
    [InlineData("/data", "/database")]
    [InlineData("/data", "/dat")]
    [InlineData("/data-1", "/data-2")]
    [InlineData("/data/x", "/data/y")]
    [InlineData("/a/b", "/a/bc")]
    [InlineData("a", "ab")]
    public void Siblings_and_shared_prefixes_do_not_overlap(string first, string second)
    {
        var plan = Ok(null, Req(Folder("a"), first), Req(Folder("b"), second));
        Assert.Equal(2, plan.Mounts.Count);
    }

    [Theory]
    [InlineData("/data", "/data", true)]
    [InlineData("/data", "/data/x", true)]
    [InlineData("/data/x", "/data", true)]
    [InlineData("/data", "/database", false)]
    [InlineData("/database", "/data", false)]
    [InlineData("/a/b", "/a/c", false)]
    public void Overlaps_helper(string a, string b, bool expected) => Assert.Equal(expected, MountRules.Overlaps(a, b));

    // ---- permissions -------------------------------------------------------------------------

    [Theory]
    [InlineData(VFolderPermission.ReadOnly)]
    [InlineData(VFolderPermission.ReadWrite)]
    [InlineData(VFolderPermission.ReadWriteDelete)]
    public void No_permission_asked_means_the_granted_one(VFolderPermission granted) =>
        Assert.Equal(granted, Assert.Single(Ok(null, Req(Folder("d", granted))).Mounts).Permission);

    [Theory]
    [InlineData(VFolderPermission.ReadOnly, "ro", VFolderPermission.ReadOnly)]
    [InlineData(VFolderPermission.ReadWrite, "ro", VFolderPermission.ReadOnly)]
    [InlineData(VFolderPermission.ReadWrite, "rw", VFolderPermission.ReadWrite)]
    [InlineData(VFolderPermission.ReadWriteDelete, "ro", VFolderPermission.ReadOnly)]
    [InlineData(VFolderPermission.ReadWriteDelete, "rw", VFolderPermission.ReadWrite)]
    [InlineData(VFolderPermission.ReadWriteDelete, "wd", VFolderPermission.ReadWriteDelete)]
    [InlineData(VFolderPermission.ReadWriteDelete, "WD", VFolderPermission.ReadWriteDelete)]
    [InlineData(VFolderPermission.ReadWrite, "", VFolderPermission.ReadWrite)]
    public void Asking_the_same_or_less_is_allowed(VFolderPermission granted, string asked, VFolderPermission expected) =>
        Assert.Equal(expected, Assert.Single(Ok(null, Req(Folder("d", granted), permission: asked)).Mounts).Permission);

    [Theory]
    [InlineData(VFolderPermission.ReadOnly, "rw")]
    [InlineData(VFolderPermission.ReadOnly, "wd")]
    [InlineData(VFolderPermission.ReadWrite, "wd")]
    public void Asking_more_than_granted_is_forbidden(VFolderPermission granted, string asked)
    {
        var p = Refused(null, Req(Folder("d", granted), permission: asked));
        Is(p, "mount-permission-denied", "mounts[0].permission", 403);
        Assert.Contains(granted.ToWire(), p.Detail);
        Assert.Contains(asked, p.Detail);
    }

    [Theory]
    [InlineData("rx")]
    [InlineData("read-only")]
    [InlineData("rwd")]
    public void Unknown_permission_is_invalid(string asked)
    {
        var p = Refused(null, Req(Folder("d"), permission: asked));
        Is(p, "permission-invalid", "mounts[0].permission");
        Assert.Contains("ro, rw or wd", p.Detail);
    }

    // ---- ordering ----------------------------------------------------------------------------

    [Fact]
    public void First_problem_in_request_order_wins()
    {
        var p = Refused(null,
            Req(Folder("a")),
            Req(Folder("b"), "/etc"),
            (new MountRequestDto("ghost"), null));
        Is(p, "mount-path-reserved", "mounts[1].path");
    }

    [Fact]
    public void Within_one_mount_the_folder_is_checked_before_path_and_permission()
    {
        Is(Refused(null, Req(Folder("a", status: VFolderStatus.DeletePending), "/etc", "bogus")), "folder-not-mountable", "mounts[0].folder", 409);
        Is(Refused(null, Req(Folder("a"), "/etc", "bogus")), "mount-path-reserved", "mounts[0].path");
    }

    [Fact]
    public void Explicit_mounts_keep_request_order_and_details()
    {
        var a = Folder("a", VFolderPermission.ReadOnly, host: "h1");
        var b = Folder("b", host: "h2");
        var plan = Ok(null, Req(b, "/mnt/b", "rw"), Req(a));
        Assert.Equal(
            [
                new ResolvedMount(b.Id, "b", "h2", "/mnt/b", VFolderPermission.ReadWrite, false),
                new ResolvedMount(a.Id, "a", "h1", "/home/work/a", VFolderPermission.ReadOnly, false),
            ],
            plan.Mounts);
        // b is rw: the plan says that inside a session rw also deletes; a (ro) earns nothing.
        Assert.Equal([MountRules.ReadWriteDeletesWarning(plan.Mounts[0])], plan.Warnings);
        Assert.Contains("also lets programs delete", plan.Warnings[0]);
    }

    [Fact]
    public void Wd_and_ro_mounts_carry_no_permission_warning()
    {
        var plan = Ok(null, Req(Folder("w")), Req(Folder("r", VFolderPermission.ReadOnly)), Req(Folder("x"), permission: "ro"));
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void A_folder_shared_rw_is_mounted_rw_with_the_warning()
    {
        var shared = Folder("shared", VFolderPermission.ReadWrite);
        var plan = Ok(null, Req(shared));
        Assert.Equal(VFolderPermission.ReadWrite, Assert.Single(plan.Mounts).Permission);
        Assert.Contains("'shared' is mounted rw", Assert.Single(plan.Warnings));
    }

    [Fact]
    public void Nothing_requested_and_no_dot_folders_is_an_empty_plan()
    {
        var plan = Ok(null);
        Assert.Empty(plan.Mounts);
        Assert.Empty(plan.Warnings);
    }

    // ---- auto-mount --------------------------------------------------------------------------

    [Fact]
    public void Dot_folders_are_auto_mounted_after_explicit_ones()
    {
        var data = Folder("data");
        var local = Folder(".local", VFolderPermission.ReadWriteDelete, host: "h");
        var config = Folder(".config", VFolderPermission.ReadOnly);
        var brew = Folder(".linuxbrew", VFolderPermission.ReadWrite);
        var plan = Ok([local, config, brew], Req(data));
        Assert.Equal(
            [
                new ResolvedMount(data.Id, "data", data.Host, "/home/work/data", VFolderPermission.ReadWriteDelete, false),
                new ResolvedMount(local.Id, ".local", "h", "/home/work/.local", VFolderPermission.ReadWriteDelete, true),
                new ResolvedMount(config.Id, ".config", config.Host, "/home/work/.config", VFolderPermission.ReadOnly, true),
                new ResolvedMount(brew.Id, ".linuxbrew", brew.Host, "/home/linuxbrew/.linuxbrew", VFolderPermission.ReadWrite, true),
            ],
            plan.Mounts);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Explicitly_mounted_dot_folder_is_not_auto_mounted_again()
    {
        var local = Folder(".local");
        var plan = Ok([local], Req(local, "/mnt/local", "ro"));
        var m = Assert.Single(plan.Mounts);
        Assert.Equal(("/mnt/local", VFolderPermission.ReadOnly, false), (m.ContainerPath, m.Permission, m.AutoMount));
        Assert.Empty(plan.Warnings);
    }

    [Theory]
    [InlineData(VFolderStatus.DeletePending, "delete-pending")]
    [InlineData(VFolderStatus.Purging, "purging")]
    [InlineData(VFolderStatus.Cloning, "cloning")]
    [InlineData(VFolderStatus.Error, "error")]
    public void Unready_dot_folder_is_skipped_with_a_warning(VFolderStatus status, string wire)
    {
        var plan = Ok([Folder(".config", status: status), Folder(".local")]);
        Assert.Equal(".local", Assert.Single(plan.Mounts).FolderName);
        var w = Assert.Single(plan.Warnings);
        Assert.Contains(".config", w);
        Assert.Contains(wire, w);
        Assert.Contains("not mounted", w);
    }

    [Fact]
    public void Dot_folder_whose_place_is_taken_is_skipped_and_the_explicit_mount_wins()
    {
        var tools = Folder("tools");
        var plan = Ok([Folder(".local")], Req(tools, "/home/work/.local"));
        var m = Assert.Single(plan.Mounts);
        Assert.Equal(("tools", false), (m.FolderName, m.AutoMount));
        var w = Assert.Single(plan.Warnings);
        Assert.Contains("'.local' not auto-mounted", w);
        Assert.Contains("/home/work/.local is taken by folder 'tools'", w);
    }

    [Theory]
    [InlineData("/home/work/.local/bin")]
    [InlineData(".local/share")]
    public void Dot_folder_overlapping_an_explicit_mount_below_it_is_skipped(string path)
    {
        var plan = Ok([Folder(".local")], Req(Folder("tools"), path));
        Assert.Equal("tools", Assert.Single(plan.Mounts).FolderName);
        var w = Assert.Single(plan.Warnings);
        Assert.Contains("'.local' not auto-mounted", w);
        Assert.Contains("overlaps", w);
        Assert.Contains("'tools'", w);
    }

    [Fact]
    public void Linuxbrew_place_taken_explicitly_skips_the_auto_mount()
    {
        var plan = Ok([Folder(".linuxbrew")], Req(Folder("brew"), "/home/linuxbrew/.linuxbrew"));
        Assert.Equal("brew", Assert.Single(plan.Mounts).FolderName);
        Assert.Contains("taken by folder 'brew'", Assert.Single(plan.Warnings));
    }

    [Fact]
    public void Explicit_mount_elsewhere_does_not_disturb_auto_mounts()
    {
        var plan = Ok([Folder(".local")], Req(Folder("tools"), "/home/work/.locale"));
        Assert.Equal(2, plan.Mounts.Count);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Two_dot_folders_with_one_name_mount_once()
    {
        var mine = Folder(".local", host: "mine");
        var projects = Folder(".local", host: "project");
        var plan = Ok([mine, projects]);
        Assert.Equal("mine", Assert.Single(plan.Mounts).Host);
        Assert.Contains("taken by folder '.local'", Assert.Single(plan.Warnings));
    }

    [Fact]
    public void Same_dot_folder_listed_twice_mounts_once_without_a_warning()
    {
        var local = Folder(".local");
        var plan = Ok([local, local]);
        Assert.Single(plan.Mounts);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Non_dot_folders_in_the_owner_list_are_ignored()
    {
        var plan = Ok([Folder("data")]);
        Assert.Empty(plan.Mounts);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Dot_folder_with_an_unusable_name_is_skipped_with_a_warning()
    {
        var plan = Ok([Folder(".a:b")]);
        Assert.Empty(plan.Mounts);
        Assert.Contains("'.a:b' not auto-mounted", Assert.Single(plan.Warnings));
    }

    [Fact]
    public void Problems_in_explicit_mounts_leave_no_auto_mounts_or_warnings()
    {
        var p = Refused([Folder(".local"), Folder(".config", status: VFolderStatus.DeletePending)],
            (new MountRequestDto("ghost"), null));
        Is(p, "folder-not-found", "mounts[0].folder", 404);
    }
}
