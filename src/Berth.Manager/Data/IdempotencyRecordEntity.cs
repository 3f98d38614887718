namespace Berth.Manager.Data;

/// <summary>
/// A create that carried an <c>Idempotency-Key</c> (table <c>idempotency_records</c>). It is written in the same
/// transaction as the resource it created, so after a crash either both exist or neither: a retry then either
/// gets the resource back or creates it for the first time, never a second one.
/// </summary>
public sealed class IdempotencyRecordEntity
{
    public Guid UserId { get; set; }
    public required string Key { get; set; }
    /// <summary>e.g. <c>POST /api/sessions</c>: a key used for sessions does not answer a folder create.</summary>
    public required string Operation { get; set; }
    /// <summary><c>IdempotencyRules.Fingerprint</c> of the request; a retry must match it.</summary>
    public required string Fingerprint { get; set; }
    /// <summary>The id of what the first request created; a replay answers with its current state.</summary>
    public Guid ResourceId { get; set; }
    public DateTime CreatedAt { get; set; }
}
