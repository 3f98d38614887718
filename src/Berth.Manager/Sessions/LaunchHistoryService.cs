using System.Text.Json;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Sessions;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Berth.Manager.Sessions;

/// <summary>Each user's recent launches, so the console can refill its launcher (Backend.AI keeps these in the browser; Berth on the server, per user).</summary>
public sealed class LaunchHistoryService(BerthDbContext db, TimeProvider clock, ILogger<LaunchHistoryService> log)
{
    /// <summary>
    /// Remembers a launch that succeeded; called after the session exists, never for a refused request. A failure
    /// here is logged, not thrown: the session is already made, and an error answer would invite a second launch.
    /// </summary>
    public async Task RecordAsync(Caller caller, CreateSessionRequest request, string sessionName, CancellationToken ct)
    {
        try
        {
            await RecordCoreAsync(caller, request, sessionName, ct);
        }
        catch (Exception e) when (e is DbUpdateException or OperationCanceledException)
        {
            log.LogWarning(e, "Launch of {Session} not added to {User}'s history", sessionName, caller.Email);
        }
    }

    private async Task RecordCoreAsync(Caller caller, CreateSessionRequest request, string sessionName, CancellationToken ct)
    {
        var redacted = LaunchHistoryRules.Redact(request, out var omitted);
        db.LaunchHistory.Add(new LaunchHistoryEntity
        {
            Id = Guid.NewGuid(), OwnerUserId = caller.UserId, LaunchedAt = clock.GetUtcNow().UtcDateTime, SessionName = sessionName,
            RequestJson = JsonSerializer.Serialize(redacted, JsonSerializerOptions.Web),
            OmittedEnvironmentJson = JsonSerializer.Serialize(omitted),
        });
        await db.SaveChangesAsync(ct);
        var mine = await db.LaunchHistory.Where(h => h.OwnerUserId == caller.UserId && !h.Pinned).ToListAsync(ct);
        var overflow = LaunchHistoryRules.Overflow(mine, h => h.Pinned, h => h.LaunchedAt);
        if (overflow.Count == 0) return;
        // A set-based delete: two launches at once both prune the same oldest entry, and a tracked Remove of a row
        // the other already deleted would fail with a concurrency error (and a warning in the log).
        var ids = overflow.Select(h => h.Id).ToList();
        await db.LaunchHistory.Where(h => ids.Contains(h.Id)).ExecuteDeleteAsync(ct);
    }

    /// <summary>Pinned entries first, then newest first.</summary>
    public async Task<IReadOnlyList<LaunchHistoryEntryDto>> ListAsync(Caller caller, CancellationToken ct)
    {
        var entries = await db.LaunchHistory.AsNoTracking().Where(h => h.OwnerUserId == caller.UserId).ToListAsync(ct);
        return entries.OrderByDescending(h => h.Pinned).ThenByDescending(h => h.LaunchedAt).Select(ToDto).ToList();
    }

    public async Task<LaunchHistoryEntryDto> UpdateAsync(Caller caller, string id, UpdateLaunchHistoryRequest request, CancellationToken ct)
    {
        var problem = LaunchHistoryRules.CheckUpdate(request);
        if (problem is not null) throw problem.ToException();
        var entry = await FindAsync(caller, id, ct);
        if (request.Pinned == true && !entry.Pinned
            && await db.LaunchHistory.CountAsync(h => h.OwnerUserId == caller.UserId && h.Pinned, ct) >= LaunchHistoryRules.MaxPinned)
            throw Problem.Conflict("too-many-pinned", $"You already have {LaunchHistoryRules.MaxPinned} pinned launches; unpin or delete one first.", "pinned").ToException();
        if (request.Title is not null) entry.Title = request.Title.Length == 0 ? null : request.Title;
        if (request.Pinned is { } pinned) entry.Pinned = pinned;
        await db.SaveChangesAsync(ct);
        // Unpinning can leave more than five unpinned entries; the oldest go, as after a launch.
        if (request.Pinned == false)
        {
            var unpinned = await db.LaunchHistory.Where(h => h.OwnerUserId == caller.UserId && !h.Pinned).ToListAsync(ct);
            var overflow = LaunchHistoryRules.Overflow(unpinned, h => h.Pinned, h => h.LaunchedAt);
            if (overflow.Any(h => h.Id == entry.Id))
            {
                // The entry the user just touched stays; an older one makes room instead.
                overflow = unpinned.Where(h => h.Id != entry.Id).OrderByDescending(h => h.LaunchedAt).Skip(LaunchHistoryRules.KeptUnpinned - 1).ToList();
            }
            db.LaunchHistory.RemoveRange(overflow);
            await db.SaveChangesAsync(ct);
        }
        return ToDto(entry);
    }

    public async Task DeleteAsync(Caller caller, string id, CancellationToken ct)
    {
        var entry = await FindAsync(caller, id, ct);
        db.LaunchHistory.Remove(entry);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Another user's entry answers exactly like a missing one, so ids reveal nothing.</summary>
    private async Task<LaunchHistoryEntity> FindAsync(Caller caller, string id, CancellationToken ct)
    {
        var notFound = Problem.NotFound("history-entry-not-found", $"You have no launch history entry {ProblemText.Quote(id)}; `berth session history` lists them.", "id");
        if (!Guid.TryParse(id, out var guid)) throw notFound.ToException();
        return await db.LaunchHistory.FirstOrDefaultAsync(h => h.Id == guid && h.OwnerUserId == caller.UserId, ct) ?? throw notFound.ToException();
    }

    private static LaunchHistoryEntryDto ToDto(LaunchHistoryEntity h) => new(
        h.Id, h.Title, h.Pinned, new DateTimeOffset(DateTime.SpecifyKind(h.LaunchedAt, DateTimeKind.Utc)), h.SessionName,
        JsonSerializer.Deserialize<CreateSessionRequest>(h.RequestJson, JsonSerializerOptions.Web)!,
        JsonSerializer.Deserialize<List<string>>(h.OmittedEnvironmentJson) ?? []);
}
