using System.Text.Json;
using Berth.Core.Accounts;
using Berth.Core.Agents;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Sessions;
using Berth.Core.VFolders;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Berth.Manager.Scheduling;
using Berth.Core.Scheduling;
using Berth.Manager.VFolders;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Sessions;

/// <summary>Creating, finding, ending and using compute sessions. Everything is validated before anything is stored.</summary>
public sealed class SessionService(
    BerthDbContext db, ImageCatalog images, FolderAccessQuery folders, SessionTransitions transitions,
    IAgentDirectory agents, SchedulerSignal scheduler, SessionCommits commits, SessionWriteGate writeGate, TimeProvider clock,
    Idle.IdleChecks idle, Apps.SessionTrafficMeter traffic, Audit.AuditLog audit, Idempotency.IdempotencyScope idempotency, SessionKernels kernels)
{
    public async Task<SessionDto> CreateAsync(Caller caller, CreateSessionRequest r, CancellationToken ct)
    {
        var owner = await OwnerAsync(caller, r.OwnerEmail, ct);
        var name = r.Name ?? SessionNameRules.Generate(Random.Shared);
        Throw(SessionNameRules.Check(name));
        var type = SessionType.Interactive;
        Throw(r.Type is null ? null : SessionWire.CheckType(r.Type, out type));
        if (type == SessionType.Batch && string.IsNullOrWhiteSpace(r.StartupCommand))
            throw Problem.Invalid("startupCommand", "startup-command-required", "A batch session needs a startup command (-c) to run.").ToException();
        if (type == SessionType.Interactive && r.StartupCommand is not null)
            throw Problem.Invalid("startupCommand", "startup-command-batch-only", "Only batch sessions take a startup command; use --type batch, or run it with `berth session exec` once the session is up.").ToException();
        if (type == SessionType.Interactive && (r.StartsAt is not null || r.BatchTimeoutSeconds is not null))
            throw Problem.Invalid(r.StartsAt is not null ? "startsAt" : "batchTimeoutSeconds", "batch-only",
                "A start time and a batch timeout apply to batch sessions only.").ToException();
        Throw(Core.Validation.DurationRules.CheckSeconds(r.BatchTimeoutSeconds, "batchTimeoutSeconds"));
        Throw(EnvironmentRules.Check(r.Environment));
        var clusterSize = r.ClusterSize ?? 1;
        if (clusterSize is < 1 or > 64)
            throw Problem.Invalid("clusterSize", "cluster-size-invalid", "A cluster has 1 to 64 containers.").ToException();
        var clusterMode = r.ClusterMode ?? "single-node";
        if (clusterMode == "multi-node")
            throw Problem.Invalid("clusterMode", "cluster-mode-unsupported",
                "Multi-node clusters need an overlay network across agents (Docker swarm), which this installation does not have; use --cluster-mode single-node (docs/adr/0003-cluster-sessions.md).").ToException();
        if (clusterMode != "single-node")
            throw Problem.Invalid("clusterMode", "cluster-mode-invalid", $"{ProblemText.Quote(clusterMode)} is not a cluster mode; use single-node.").ToException();

        var group = await ResolveGroupAsync(owner, r.ResourceGroup, type, ct);
        if (r.AssignAgent is not null)
        {
            caller.RequireAdmin();
            if (!await db.Agents.AnyAsync(a => a.Id == r.AssignAgent && a.ResourceGroup == group.Name, ct))
                throw Problem.NotFound("agent-not-found", $"There is no agent '{r.AssignAgent}' in resource group {group.Name}.", "assignAgent").ToException();
        }
        var image = await images.ResolveAsync(owner, r.Image, "image", ct);
        var imageDto = ImageCatalog.ToDto(image);
        var servicePorts = imageDto.ServicePorts;
        Throw(PreopenPortRules.Check(r.PreopenPorts, servicePorts.Select(p => p.ContainerPort).ToList()));
        var requested = await WithPresetAsync(r.Resources, r.Preset, group.Name, ct);
        Throw(ResourceRules.Resolve(requested, new ImageResourceHints(image.MinCpu, image.MinMemoryBytes, image.PreferredShmemBytes), out var resources));
        var gpus = requested?.CudaDevices ?? 0;
        if (gpus is < 0 or > 16)
            throw Problem.Invalid("resources.cudaDevices", "cuda-device-invalid", "Ask for 0 to 16 whole GPUs (cuda.device).").ToException();
        var plan = await PlanMountsAsync(owner, r.Mounts ?? [], ct);
        if (await db.Sessions.AnyAsync(s => s.OwnerUserId == owner.UserId && s.Name == name && LiveStatuses.Contains(s.Status), ct))
            throw Problem.Conflict("session-name-taken", $"{(owner.UserId == caller.UserId ? "You already have" : owner.Email + " already has")} a live session named '{name}'.", "name").ToException();
        var state = await SchedulingState.LoadAsync(db, ct);
        Throw(Predicates.CheckCanQueue(state.UsageOf(owner.UserId), state.PolicyOf(owner.UserId)));

        var session = new SessionEntity
        {
            Id = Guid.NewGuid(), Name = name, OwnerUserId = owner.UserId, Type = type, ImageId = image.Id,
            ImageName = image.Name, ImageReference = image.Reference, StartupCommand = r.StartupCommand,
            EnvironmentJson = JsonSerializer.Serialize(WithCluster(EnvironmentRules.WithHpcDefaults(r.Environment, resources.Cpu), clusterSize)),
            ClusterSize = clusterSize, ClusterMode = clusterMode, CudaDevices = gpus,
            Cpu = resources.Cpu, MemoryBytes = resources.MemoryBytes, ShmemBytes = resources.ShmemBytes,
            MountsJson = JsonSerializer.Serialize(plan.Mounts), WarningsJson = JsonSerializer.Serialize(plan.Warnings),
            CreatedAt = transitions.Now, ResourceGroup = group.Name, StartsAt = r.StartsAt?.UtcDateTime,
            BatchTimeoutSeconds = r.BatchTimeoutSeconds, PinnedAgentId = r.AssignAgent,
            AppsJson = SessionApps.Serialize(servicePorts, r.PreopenPorts, imageDto.Labels),
        };
        db.Sessions.Add(session);
        idempotency.Stage(db, session.Id);
        transitions.Start(session, null);
        await transitions.SaveAsync(ct);
        scheduler.Wake();
        return await GetAsync(caller, session.Id.ToString(), ct);
    }

    /// <summary>Every container of a cluster learns its peers' hostnames.</summary>
    private static Dictionary<string, string> WithCluster(IReadOnlyDictionary<string, string> env, int size)
    {
        var all = new Dictionary<string, string>(env);
        if (size <= 1) return all;
        all["BERTH_CLUSTER_SIZE"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        all["BERTH_CLUSTER_HOSTS"] = string.Join(',', KernelNames.Of(size));
        return all;
    }

    /// <summary>Admins may launch for another user: everything (folders, groups, limits) is then that user's.</summary>
    private async Task<Caller> OwnerAsync(Caller caller, string? ownerEmail, CancellationToken ct)
    {
        if (ownerEmail is null) return caller;
        caller.RequireAdmin();
        var email = Core.Accounts.AccountRules.NormalizeEmail(ownerEmail);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, ct)
                   ?? throw Problem.NotFound("user-not-found", $"There is no user with email {email}.", "ownerEmail").ToException();
        // Only for users of lower rank: an admin launching "as" a superadmin would mount the superadmin's folders.
        if (!caller.Role.Outranks(user.Role))
        {
            await audit.RecordAsync(new Audit.AuditEntry("session.on-behalf-refused", Audit.AuditLog.Refused, caller.UserId, caller.Email, user.Email,
                Detail: $"a {caller.Role.ToWire()} may not launch for a {user.Role.ToWire()}"), ct);
            throw Problem.Forbidden("owner-rank-too-high",
                $"A {caller.Role.ToWire()} may launch sessions only for users of lower rank; {user.Email} is a {user.Role.ToWire()}.", "ownerEmail").ToException();
        }
        return new Caller(user.Id, user.Email, user.Role, "");
    }

    private async Task<ResourceGroupEntity> ResolveGroupAsync(Caller owner, string? requested, SessionType type, CancellationToken ct)
    {
        var visible = await ResourceGroups.VisibleToAsync(db, owner.UserId, isAdmin: false, ct);
        var name = requested ?? ResourceGroupEntity.DefaultName;
        var group = visible.FirstOrDefault(g => g.Name == name)
                    ?? throw (requested is null
                        ? Problem.Conflict("no-resource-group", "You may not use the default resource group; name one with --resource-group.", "resourceGroup")
                        : Problem.NotFound("resource-group-not-found", $"There is no resource group '{name}' you may use.", "resourceGroup")).ToException();
        if (type == SessionType.Batch ? !group.AllowBatch : !group.AllowInteractive)
            throw Problem.Invalid("type", "session-type-not-allowed", $"Resource group {group.Name} does not take {type.ToWire()} sessions.").ToException();
        return group;
    }

    /// <summary>A preset fills in what the request leaves out.</summary>
    private async Task<ResourceRequestDto?> WithPresetAsync(ResourceRequestDto? request, string? presetName, string group, CancellationToken ct)
    {
        if (presetName is null) return request;
        var preset = await db.ResourcePresets.Where(p => p.Name == presetName && (p.ResourceGroup == group || p.ResourceGroup == null))
                         .OrderBy(p => p.ResourceGroup == null).FirstOrDefaultAsync(ct)
                     ?? throw Problem.NotFound("preset-not-found", $"There is no resource preset '{presetName}' in group {group}; `berth resource presets` lists them.", "preset").ToException();
        return ResourceRules.WithPreset(request, ResourceAdminService.ToDto(preset));
    }

    private async Task<MountPlan> PlanMountsAsync(Caller caller, IReadOnlyList<MountRequestDto> requests, CancellationToken ct)
    {
        var accessible = await folders.AccessibleAsync(caller, ct);
        FolderCandidate Candidate(FolderAccess a) => new(a.Folder.Id, a.Folder.Name, a.Folder.Host, a.Permission, a.Folder.Status);
        var requested = requests.Select(m =>
        {
            var match = accessible.FirstOrDefault(a => a.Folder.Name == m.Folder)
                        ?? (Guid.TryParse(m.Folder, out var id) ? accessible.FirstOrDefault(a => a.Folder.Id == id) : null);
            return (m, match is null ? null : Candidate(match));
        }).ToList();
        var dotFolders = accessible
            .Where(a => VFolderNameRules.IsAutoMount(a.Folder.Name) && a.Folder.OwnerUserId == caller.UserId)
            .Select(Candidate).ToList();
        Throw(MountRules.Resolve(requested, dotFolders, out var plan));
        return plan;
    }

    /// <param name="everyone">Admins: also the sessions of the users they outrank (as <see cref="FindAsync"/> reaches them), for the console's admin view.</param>
    public async Task<IReadOnlyList<SessionDto>> ListAsync(Caller caller, bool all, CancellationToken ct, bool everyone = false)
    {
        if (everyone) caller.RequireAdmin();
        var below = caller.Role.RolesBelow().ToList();
        var query = everyone
            ? WithDetails().Where(s => s.OwnerUserId == caller.UserId || below.Contains(s.OwnerUser!.Role))
            : WithDetails().Where(s => s.OwnerUserId == caller.UserId);
        if (!all) query = query.Where(s => LiveStatuses.Contains(s.Status));
        var sessions = await query.OrderByDescending(s => s.CreatedAt).ToListAsync(ct);
        return sessions.Select(ToDto).ToList();
    }

    /// <summary>One session, with its idle checks while it runs.</summary>
    public async Task<SessionDto> GetAsync(Caller caller, string reference, CancellationToken ct)
    {
        var session = await FindAsync(caller, reference, ct);
        var evaluation = await idle.EvaluateAsync(session, ct);
        return ToDto(session) with { IdleChecks = evaluation?.Checks, Kernels = await kernels.ListAsync(session, ct) };
    }

    /// <summary>
    /// The owner pushes the network idle deadline of a RUNNING interactive session to now + <c>seconds</c> (default:
    /// the timeout), no further than the policy's maximum extension. Counts as activity, too.
    /// </summary>
    public async Task<SessionDto> KeepAliveAsync(Caller caller, string reference, KeepAliveRequest r, CancellationToken ct)
    {
        var session = await FindAsync(caller, reference, ct);
        if (session.OwnerUserId != caller.UserId)
            throw Problem.Forbidden("session-not-owned", $"Session '{session.Name}' belongs to {session.OwnerUser?.Email}; only its owner can keep it alive.", "session").ToException();
        if (session.Status != SessionStatus.Running)
            throw Problem.Conflict("session-not-running", $"Session '{session.Name}' is {session.Status.ToWire()}; only RUNNING sessions can be kept alive.", "session").ToException();
        var now = clock.GetUtcNow();
        Throw(Core.Idle.KeepAliveRules.Check(session.Type, await idle.ConfigOfAsync(session, ct), r.Seconds, now, out var until));
        session.IdleExtendedUntil = until.UtcDateTime;
        session.LastActivityAt = now.UtcDateTime;
        await db.SaveChangesAsync(ct);
        return await GetAsync(caller, session.Id.ToString(), ct);
    }

    /// <summary>Admins exempt a session from every idle check (lifetime included), or take the exemption back.</summary>
    public async Task<SessionDto> SetIdleExemptAsync(Caller caller, string reference, IdleExemptRequest r, CancellationToken ct)
    {
        caller.RequireAdmin();
        if (r.Exempt is not { } exempt)
            throw Problem.Invalid("exempt", "required", "Say whether the session is exempt: {\"exempt\": true} or false.").ToException();
        var session = await FindAsync(caller, reference, ct);
        if (!SessionLifecycle.IsLive(session.Status))
            throw Problem.Conflict("session-not-live", $"Session '{session.Name}' has already ended ({session.Status.ToWire()}).", "session").ToException();
        session.IdleExempt = exempt;
        await db.SaveChangesAsync(ct);
        return await GetAsync(caller, session.Id.ToString(), ct);
    }

    public async Task<SessionDto> DestroyAsync(Caller caller, string reference, bool force, CancellationToken ct)
    {
        using var turn = await writeGate.EnterAsync(ct);
        var session = await FindAsync(caller, reference, ct);
        if (!SessionLifecycle.IsLive(session.Status))
            throw Problem.Conflict("session-not-live", $"Session '{session.Name}' has already ended ({session.Status.ToWire()}).", "session").ToException();
        Throw(CommitRules.CheckDestroy(session.Name, commits.IsCommitting(session.Id), force));
        var moved = session.Status == SessionStatus.Pending
            ? transitions.Move(session, SessionStatus.Cancelled, SessionReasons.UserRequested)
            : transitions.Move(session, SessionStatus.Terminating, SessionReasons.UserRequested);
        if (!moved && session.Status != SessionStatus.Terminating)
            throw Problem.Conflict("session-status", $"Session '{session.Name}' cannot be destroyed while {session.Status.ToWire()}.", "session").ToException();
        await transitions.SaveAsync(ct);
        if (session.AgentId is not null) agents.Find(session.AgentId)?.Nudge();
        return ToDto(session);
    }

    /// <summary>
    /// Renames the record of a RUNNING session. The container keeps its Docker name, and its label
    /// <c>ai.berth.session-name</c> keeps the old name (stale, informational only: the agent finds containers by
    /// kernel and session id).
    /// </summary>
    public async Task<SessionDto> RenameAsync(Caller caller, string reference, RenameSessionRequest r, CancellationToken ct)
    {
        Throw(SessionNameRules.Check(r.NewName, "newName"));
        var session = await FindAsync(caller, reference, ct);
        if (session.Status != SessionStatus.Running)
            throw Problem.Conflict("session-not-running", $"Session '{session.Name}' is {session.Status.ToWire()}; only RUNNING sessions can be renamed.", "session").ToException();
        if (r.NewName == session.Name) return ToDto(session);
        if (await db.Sessions.AnyAsync(s => s.OwnerUserId == session.OwnerUserId && s.Name == r.NewName && s.Id != session.Id && LiveStatuses.Contains(s.Status), ct))
            throw Problem.Conflict("session-name-taken", $"{(session.OwnerUserId == caller.UserId ? "You already have" : session.OwnerUser?.Email + " already has")} a live session named '{r.NewName}'.", "newName").ToException();
        session.Name = r.NewName!;
        await db.SaveChangesAsync(ct);
        return ToDto(session);
    }

    /// <summary>
    /// Commits the main container of the caller's RUNNING interactive session to a customized image only the caller
    /// sees (<c>customized-NAME</c>), labelled as the source image. Returns when the image is in the catalog.
    /// </summary>
    public async Task<ImageDto> CommitAsync(Caller caller, string reference, CommitSessionRequest r, CancellationToken ct)
    {
        Throw(CommitRules.CheckImageName(r.ImageName));
        var imageName = r.ImageName!;
        var session = await FindAsync(caller, reference, ct);
        if (session.OwnerUserId != caller.UserId)
            throw Problem.Forbidden("session-not-owned", $"Session '{session.Name}' belongs to {session.OwnerUser?.Email}; only its owner can commit it.", "session").ToException();
        if (session.Type != SessionType.Interactive)
            throw Problem.Invalid("session", "commit-interactive-only", $"Session '{session.Name}' is a batch session; only interactive sessions can be committed.").ToException();
        if (session.Status != SessionStatus.Running || session.ContainerId is null)
            throw Problem.Conflict("session-not-running", $"Session '{session.Name}' is {session.Status.ToWire()}; only RUNNING sessions can be committed.", "session").ToException();
        var catalogName = CommitRules.CatalogName(imageName);
        if (await db.Images.AnyAsync(i => i.OwnerUserId == caller.UserId && i.Name == catalogName, ct))
            throw Problem.Conflict("image-name-taken", $"You already have an image {catalogName}; choose another name or delete it first (`berth image delete {catalogName}`).", "imageName").ToException();
        var policyName = await db.Users.Where(u => u.Id == caller.UserId).Select(u => u.ResourcePolicy).FirstOrDefaultAsync(ct);
        var policy = await db.ResourcePolicies.FirstOrDefaultAsync(p => p.Name == (policyName ?? ResourcePolicyEntity.DefaultName), ct);
        var owned = await db.Images.CountAsync(i => i.OwnerUserId == caller.UserId, ct);
        Throw(CommitRules.CheckLimit(owned + commits.InFlightFor(caller.UserId), policy?.MaxCustomizedImages));
        var agent = agents.Find(session.AgentId!)
                    ?? throw new Problem(503, "agent-unavailable", $"The agent running '{session.Name}' is not reachable.").ToException();

        if (!commits.TryBegin(session.Id, caller.UserId))
            throw Problem.Conflict("session-committing", $"Session '{session.Name}' is already being committed.", "session").ToException();
        try
        {
            var repository = CommitRules.Repository(caller.UserId);
            // Not cancelled with the request: a caller who stops waiting still gets the image registered, rather than
            // a Docker image the catalog does not know.
            var info = await agent.CommitAsync(session.ContainerId, repository, imageName, CancellationToken.None);
            var entity = new ImageEntity
            {
                Id = Guid.NewGuid(), Name = catalogName, Reference = $"{repository}:{imageName}", Architecture = info.Architecture,
                OwnerUserId = caller.UserId, RegisteredAt = clock.GetUtcNow().UtcDateTime,
            };
            ImageCatalog.Describe(entity, info);
            db.Images.Add(entity);
            await db.SaveChangesAsync(CancellationToken.None);
            entity.OwnerUser = await db.Users.FirstOrDefaultAsync(u => u.Id == caller.UserId, CancellationToken.None);
            return ImageCatalog.ToDto(entity);
        }
        finally
        {
            commits.End(session.Id);
        }
    }

    public async Task<ExecResultDto> ExecAsync(Caller caller, string reference, ExecRequest r, CancellationToken ct)
    {
        if (r.Command is not { Count: > 0 } || string.IsNullOrEmpty(r.Command[0]))
            throw Problem.Invalid("command", "required", "Give the command to run, e.g. `berth session exec NAME -- ls -la`.").ToException();
        var session = await FindAsync(caller, reference, ct);
        var containerId = session.ContainerId;
        if (r.Kernel is not null && r.Kernel != KernelNames.Main)
        {
            containerId = (await db.Kernels.FirstOrDefaultAsync(k => k.SessionId == session.Id && k.Hostname == r.Kernel, ct)
                           ?? throw KernelNames.NotFound(r.Kernel, session.Name, session.ClusterSize).ToException()).ContainerId;
        }
        if (session.Status != SessionStatus.Running || containerId is null)
            throw Problem.Conflict("session-not-running", $"Session '{session.Name}' is {session.Status.ToWire()}; commands run only in RUNNING sessions.", "session").ToException();
        var agent = agents.Find(session.AgentId!)
                    ?? throw new Problem(503, "agent-unavailable", $"The agent running '{session.Name}' is not reachable.").ToException();
        // A command is user↔session traffic for the network idle check, both ways.
        traffic.Record(session.Id, r.Command.Sum(a => (long)System.Text.Encoding.UTF8.GetByteCount(a)), 0);
        var outcome = await agent.ExecAsync(containerId, r.Command, ct);
        traffic.Record(session.Id, 0, outcome.Stdout.Length + outcome.Stderr.Length);
        return new ExecResultDto(outcome.ExitCode, outcome.Stdout, outcome.Stderr);
    }

    public async Task<SessionEntity> FindAsync(Caller caller, string reference, CancellationToken ct)
    {
        // Admins reach the sessions of users they outrank only: a peer's or a superadmin's session (and the folders mounted in it) stays theirs.
        var below = caller.Role.RolesBelow().ToList();
        var mine = WithDetails().Where(s => s.OwnerUserId == caller.UserId || (caller.IsAdmin && below.Contains(s.OwnerUser!.Role)));
        SessionEntity? match = null;
        if (Guid.TryParse(reference, out var id)) match = await mine.FirstOrDefaultAsync(s => s.Id == id, ct);
        // By name: the live one, else the most recent that ended.
        match ??= (await mine.Where(s => s.Name == reference && s.OwnerUserId == caller.UserId).ToListAsync(ct))
            .OrderBy(s => SessionLifecycle.IsLive(s.Status) ? 0 : 1).ThenByDescending(s => s.CreatedAt).FirstOrDefault();
        return match ?? throw Problem.NotFound("session-not-found", $"You have no session named '{reference}'.", "session").ToException();
    }

    public static readonly SessionStatus[] LiveStatuses = Enum.GetValues<SessionStatus>().Where(SessionLifecycle.IsLive).ToArray();

    private IQueryable<SessionEntity> WithDetails() =>
        db.Sessions.Include(s => s.OwnerUser).Include(s => s.History).AsSplitQuery();

    private static void Throw(Problem? p)
    {
        if (p is not null) throw p.ToException();
    }

    public static SessionDto ToDto(SessionEntity s)
    {
        var mounts = JsonSerializer.Deserialize<List<ResolvedMount>>(s.MountsJson) ?? [];
        static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
        var ended = !SessionLifecycle.IsLive(s.Status);
        return new SessionDto(
            s.Id, s.Name, s.OwnerUser?.Email ?? "", s.Type.ToWire(), s.ImageName, s.Status.ToWire(), s.StatusReason,
            mounts.Select(m => new SessionMountDto(m.FolderName, m.FolderId, m.ContainerPath, m.Permission.ToWire(), m.AutoMount)).ToList(),
            new ResourcesDto(s.Cpu, s.MemoryBytes, s.ShmemBytes, s.CudaDevices),
            JsonSerializer.Deserialize<Dictionary<string, string>>(s.EnvironmentJson) ?? [],
            s.StartupCommand, Utc(s.CreatedAt), s.StartedAt is { } st ? Utc(st) : null, s.TerminatedAt is { } te ? Utc(te) : null,
            s.AgentId, s.ContainerId, s.ExitCode,
            ended && s.ExitCode is { } code ? (code == 0 ? "success" : "failure") : null,
            JsonSerializer.Deserialize<List<string>>(s.WarningsJson) ?? [],
            s.History.OrderBy(h => h.At).ThenBy(h => h.Id).Select(h => new StatusChangeDto(h.Status.ToWire(), h.Reason, Utc(h.At))).ToList(),
            s.ResourceGroup, s.StartsAt is { } at ? Utc(at) : null, s.BatchTimeoutSeconds,
            s.Status == SessionStatus.Pending ? s.QueuePosition : null,
            s.Status == SessionStatus.Pending && s.WaitReasonsJson is { } w ? JsonSerializer.Deserialize<List<WaitReasonDto>>(w) : null,
            s.ClusterSize, s.ClusterMode, IdleExempt: s.IdleExempt);
    }
}
