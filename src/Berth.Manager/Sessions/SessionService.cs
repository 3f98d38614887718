using System.Text.Json;
using Berth.Core.Agents;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Sessions;
using Berth.Core.VFolders;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Berth.Manager.VFolders;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Sessions;

/// <summary>Creating, finding, ending and using compute sessions. Everything is validated before anything is stored.</summary>
public sealed class SessionService(
    BerthDbContext db, ImageCatalog images, FolderAccessQuery folders, SessionTransitions transitions,
    IAgentDirectory agents, SchedulerSignal scheduler)
{
    public async Task<SessionDto> CreateAsync(Caller caller, CreateSessionRequest r, CancellationToken ct)
    {
        var name = r.Name ?? SessionNameRules.Generate(Random.Shared);
        Throw(SessionNameRules.Check(name));
        var type = SessionType.Interactive;
        Throw(r.Type is null ? null : SessionWire.CheckType(r.Type, out type));
        if (type == SessionType.Batch && string.IsNullOrWhiteSpace(r.StartupCommand))
            throw Problem.Invalid("startupCommand", "startup-command-required", "A batch session needs a startup command (-c) to run.").ToException();
        if (type == SessionType.Interactive && r.StartupCommand is not null)
            throw Problem.Invalid("startupCommand", "startup-command-batch-only", "Only batch sessions take a startup command; use --type batch, or run it with `berth session exec` once the session is up.").ToException();
        Throw(EnvironmentRules.Check(r.Environment));
        var image = await images.ResolveAsync(caller, r.Image, "image", ct);
        Throw(ResourceRules.Resolve(r.Resources, new ImageResourceHints(image.MinCpu, image.MinMemoryBytes, image.PreferredShmemBytes), out var resources));
        var plan = await PlanMountsAsync(caller, r.Mounts ?? [], ct);
        if (await db.Sessions.AnyAsync(s => s.OwnerUserId == caller.UserId && s.Name == name && LiveStatuses.Contains(s.Status), ct))
            throw Problem.Conflict("session-name-taken", $"You already have a live session named '{name}'.", "name").ToException();

        var session = new SessionEntity
        {
            Id = Guid.NewGuid(), Name = name, OwnerUserId = caller.UserId, Type = type, ImageId = image.Id,
            ImageName = image.Name, ImageReference = image.Reference, StartupCommand = r.StartupCommand,
            EnvironmentJson = JsonSerializer.Serialize(EnvironmentRules.WithHpcDefaults(r.Environment, resources.Cpu)),
            Cpu = resources.Cpu, MemoryBytes = resources.MemoryBytes, ShmemBytes = resources.ShmemBytes,
            MountsJson = JsonSerializer.Serialize(plan.Mounts), WarningsJson = JsonSerializer.Serialize(plan.Warnings),
            CreatedAt = transitions.Now,
        };
        db.Sessions.Add(session);
        transitions.Start(session, null);
        await transitions.SaveAsync(ct);
        scheduler.Wake();
        return await GetAsync(caller, session.Id.ToString(), ct);
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

    public async Task<IReadOnlyList<SessionDto>> ListAsync(Caller caller, bool all, CancellationToken ct)
    {
        var query = WithDetails().Where(s => s.OwnerUserId == caller.UserId);
        if (!all) query = query.Where(s => LiveStatuses.Contains(s.Status));
        var sessions = await query.OrderByDescending(s => s.CreatedAt).ToListAsync(ct);
        return sessions.Select(ToDto).ToList();
    }

    public async Task<SessionDto> GetAsync(Caller caller, string reference, CancellationToken ct) =>
        ToDto(await FindAsync(caller, reference, ct));

    public async Task<SessionDto> DestroyAsync(Caller caller, string reference, CancellationToken ct)
    {
        var session = await FindAsync(caller, reference, ct);
        if (!SessionLifecycle.IsLive(session.Status))
            throw Problem.Conflict("session-not-live", $"Session '{session.Name}' has already ended ({session.Status.ToWire()}).", "session").ToException();
        var moved = session.Status == SessionStatus.Pending
            ? transitions.Move(session, SessionStatus.Cancelled, SessionReasons.UserRequested)
            : transitions.Move(session, SessionStatus.Terminating, SessionReasons.UserRequested);
        if (!moved && session.Status != SessionStatus.Terminating)
            throw Problem.Conflict("session-status", $"Session '{session.Name}' cannot be destroyed while {session.Status.ToWire()}.", "session").ToException();
        await transitions.SaveAsync(ct);
        if (session.AgentId is not null) agents.Find(session.AgentId)?.Nudge();
        return ToDto(session);
    }

    public async Task<ExecResultDto> ExecAsync(Caller caller, string reference, ExecRequest r, CancellationToken ct)
    {
        if (r.Command is not { Count: > 0 } || string.IsNullOrEmpty(r.Command[0]))
            throw Problem.Invalid("command", "required", "Give the command to run, e.g. `berth session exec NAME -- ls -la`.").ToException();
        var session = await FindAsync(caller, reference, ct);
        if (session.Status != SessionStatus.Running || session.ContainerId is null)
            throw Problem.Conflict("session-not-running", $"Session '{session.Name}' is {session.Status.ToWire()}; commands run only in RUNNING sessions.", "session").ToException();
        var agent = agents.Find(session.AgentId!)
                    ?? throw new Problem(503, "agent-unavailable", $"The agent running '{session.Name}' is not reachable.").ToException();
        var outcome = await agent.ExecAsync(session.ContainerId, r.Command, ct);
        return new ExecResultDto(outcome.ExitCode, outcome.Stdout, outcome.Stderr);
    }

    /// <summary>Live output from the agent while the container exists; afterwards the tail kept in the database.</summary>
    public async Task WriteLogsAsync(Caller caller, string reference, bool follow, Stream destination, CancellationToken ct)
    {
        var session = await FindAsync(caller, reference, ct);
        var agent = session.AgentId is null ? null : agents.Find(session.AgentId);
        if (session.ContainerId is not null && agent is not null && SessionLifecycle.IsLive(session.Status))
        {
            try
            {
                await agent.StreamLogsAsync(session.ContainerId, follow, destination, ct);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The container went away between the check and the read: fall through to the stored tail.
                await db.Entry(session).ReloadAsync(ct);
            }
        }
        if (session.LogsTail is { Length: > 0 } tail)
            await destination.WriteAsync(System.Text.Encoding.UTF8.GetBytes(tail), ct);
    }

    public async Task<SessionEntity> FindAsync(Caller caller, string reference, CancellationToken ct)
    {
        var mine = WithDetails().Where(s => s.OwnerUserId == caller.UserId || caller.IsAdmin);
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
            new ResourcesDto(s.Cpu, s.MemoryBytes, s.ShmemBytes),
            JsonSerializer.Deserialize<Dictionary<string, string>>(s.EnvironmentJson) ?? [],
            s.StartupCommand, Utc(s.CreatedAt), s.StartedAt is { } st ? Utc(st) : null, s.TerminatedAt is { } te ? Utc(te) : null,
            s.AgentId, s.ContainerId, s.ExitCode,
            ended && s.ExitCode is { } code ? (code == 0 ? "success" : "failure") : null,
            JsonSerializer.Deserialize<List<string>>(s.WarningsJson) ?? [],
            s.History.OrderBy(h => h.At).ThenBy(h => h.Id).Select(h => new StatusChangeDto(h.Status.ToWire(), h.Reason, Utc(h.At))).ToList());
    }
}
