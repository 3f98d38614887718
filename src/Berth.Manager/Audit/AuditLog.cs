using System.Text;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Audit;

/// <summary>Audit retention (<c>Audit:*</c>).</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Events older than this are pruned (checked at most every <see cref="PruneInterval"/>, on write).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>One security event to record; <see cref="AuditLog.RecordAsync"/> cuts and escapes the free-text parts.</summary>
/// <param name="Action">What happened, e.g. <c>login.failed</c>, <c>keypair.revoked</c>.</param>
/// <param name="Outcome"><c>success</c>, <c>failure</c> or <c>refused</c>.</param>
public sealed record AuditEntry(
    string Action, string Outcome, Guid? UserId = null, string? Email = null, string? Target = null,
    string? ClientAddress = null, string? Detail = null);

/// <summary>
/// The one way to write the audit log. Each event is written in its own database scope, so it is kept
/// even when the request that caused it fails, and never rides along with a caller's unsaved changes.
/// Expired events (and expired keypairs) are pruned on write, at most every few minutes.
/// </summary>
public sealed partial class AuditLog(
    IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditLog> log,
    Microsoft.AspNetCore.Http.IHttpContextAccessor http)
{
    public const string Success = "success", Failure = "failure", Refused = "refused";
    private long _nextPruneTicks;

    public async Task RecordAsync(AuditEntry entry, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BerthDbContext>();
            db.AuditEvents.Add(new AuditEventEntity
            {
                At = now, UserId = entry.UserId, Email = Cut(entry.Email, 320), Action = Cut(entry.Action, 64)!,
                Target = Cut(entry.Target, 200), Outcome = Cut(entry.Outcome, 16)!, ClientAddress = Cut(entry.ClientAddress ?? CurrentAddress(), 64),
                Detail = Cut(entry.Detail, 300),
            });
            // Not the caller's token: a client that hangs up must not erase the record of what it tried.
            await db.SaveChangesAsync(CancellationToken.None);
            if (now.Ticks >= Interlocked.Read(ref _nextPruneTicks))
            {
                Interlocked.Exchange(ref _nextPruneTicks, now.Add(options.Value.PruneInterval).Ticks);
                var cutoff = now - options.Value.Retention;
                await db.AuditEvents.Where(a => a.At < cutoff).ExecuteDeleteAsync(CancellationToken.None);
                await db.KeyPairs.Where(k => k.ExpiresAt < now).ExecuteDeleteAsync(CancellationToken.None);
            }
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            // A lost audit line must not turn a refused login into a server error; the log keeps it.
            LogLost(entry.Action, entry.Outcome, e);
        }
    }

    /// <summary>
    /// User input in the log: at most <paramref name="max"/> characters, control and non-ASCII characters
    /// escaped (\uXXXX), so a crafted email cannot forge lines or hide in look-alike letters.
    /// </summary>
    public static string? Escape(string? text, int max = 80)
    {
        if (text is null) return null;
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (sb.Length >= max) { sb.Append('…'); break; }
            if (c is >= ' ' and < (char)127 && c != '\\') sb.Append(c);
            else sb.Append(c == '\\' ? "\\\\" : $"\\u{(int)c:x4}");
        }
        return sb.ToString();
    }

    /// <summary>Callers outside the HTTP layer (services) need not pass the address: it is the current request's.</summary>
    private string? CurrentAddress() => http.HttpContext is { } context ? Auth.ClientAddress.Of(context) : null;

    private static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..(max - 1)] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the audit event {Action} ({Outcome}).")]
    private partial void LogLost(string action, string outcome, Exception e);
}
