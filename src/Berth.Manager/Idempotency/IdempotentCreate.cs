using System.Text.Json;
using Berth.Core.Idempotency;
using Berth.Core.Problems;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Manager.Idempotency;

/// <summary>
/// Makes a create endpoint honour <c>Idempotency-Key</c>. Without the header nothing changes. With it: a key seen
/// before for the same request answers the first result again (its resource's current state, the same status code,
/// <c>Idempotency-Replayed: true</c>); for another request 422 <c>idempotency-key-reused</c>; while the first
/// request is still running on this manager 409 <c>idempotency-key-in-flight</c>. Otherwise the handler runs with
/// the key staged in <see cref="IdempotencyScope"/>, and the creating service saves the record with the resource.
/// </summary>
public static class IdempotentCreate
{
    /// <param name="operation">Names the create in the record, e.g. <c>POST /api/sessions</c>.</param>
    /// <param name="replay">Answers for an existing resource, as the handler would have for a new one.</param>
    public static RouteHandlerBuilder Idempotent<TRequest>(this RouteHandlerBuilder builder, string operation,
        Func<HttpContext, Caller, Guid, CancellationToken, Task<IResult>> replay) =>
        builder.WithMetadata(IdempotentCreateMetadata.Instance).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var values = http.Request.Headers[IdempotencyRules.Header];
            if (values.Count == 0) return await next(context);
            if (values.Count > 1)
                throw Problem.Invalid(IdempotencyRules.Header, "idempotency-key-invalid", $"Send one {IdempotencyRules.Header} header, not {values.Count}.").ToException();
            var key = values[0]!;
            if (IdempotencyRules.Check(key) is { } invalid) throw invalid.ToException();

            var caller = Caller.From(http.User);
            var ct = http.RequestAborted;
            // The request as bound, not its bytes: a retry that re-serialises the same request still matches.
            var request = context.Arguments.OfType<TRequest>().FirstOrDefault();
            var fingerprint = IdempotencyRules.Fingerprint(operation, JsonSerializer.Serialize(request, JsonSerializerOptions.Web));
            var services = http.RequestServices;
            var inFlight = services.GetRequiredService<IdempotencyInFlight>();
            using var hold = inFlight.TryHold(caller.UserId, key) ?? throw IdempotencyRules.InFlight().ToException();
            var db = services.GetRequiredService<BerthDbContext>();
            var clock = services.GetRequiredService<TimeProvider>();

            if (inFlight.PruneDue(clock.GetUtcNow())) await PruneAsync(db, clock, ct);
            var first = await FindAsync(db, caller.UserId, key, clock, ct);
            if (first is not null) return await ReplayAsync(first);
            services.GetRequiredService<IdempotencyScope>().Begin(caller.UserId, key, operation, fingerprint);
            try
            {
                return await next(context);
            }
            catch (Exception e) when (e is DbUpdateException or BerthProblemException { Problem.Status: 409 })
            {
                // Another manager served the same key at the same moment and its transaction won (the record's primary
                // key, or the name it created, refused ours): its result is the answer.
                var winner = await FindAsync(db, caller.UserId, key, clock, CancellationToken.None);
                if (winner is null) throw;
                return await ReplayAsync(winner);
            }

            async Task<object?> ReplayAsync(IdempotencyRecordEntity record)
            {
                if (record.Operation != operation || record.Fingerprint != fingerprint)
                    throw IdempotencyRules.Reused(record.Operation).ToException();
                http.Response.Headers[IdempotencyRules.ReplayedHeader] = "true";
                return await replay(http, caller, record.ResourceId, ct);
            }
        });

    /// <summary>The caller's live record for the key. An expired one is deleted, so that the key can be used afresh.</summary>
    private static async Task<IdempotencyRecordEntity?> FindAsync(BerthDbContext db, Guid userId, string key, TimeProvider clock, CancellationToken ct)
    {
        var record = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == userId && r.Key == key, ct);
        if (record is null || IdempotencyRules.IsLive(new DateTimeOffset(record.CreatedAt, TimeSpan.Zero), clock.GetUtcNow())) return record;
        await db.IdempotencyRecords.Where(r => r.UserId == userId && r.Key == key).ExecuteDeleteAsync(ct);
        return null;
    }

    /// <summary>Everyone's expired records; run now and then (<see cref="IdempotencyInFlight.PruneDue"/>), not on every create.</summary>
    private static Task PruneAsync(BerthDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var cutoff = (clock.GetUtcNow() - IdempotencyRules.Lifetime).UtcDateTime;
        return db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
    }
}

/// <summary>Marks an endpoint as taking <c>Idempotency-Key</c>, for the OpenAPI document.</summary>
public sealed class IdempotentCreateMetadata
{
    public static readonly IdempotentCreateMetadata Instance = new();
}
