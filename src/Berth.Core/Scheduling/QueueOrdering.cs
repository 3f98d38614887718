namespace Berth.Core.Scheduling;

/// <summary>The order in which one resource group's pending sessions are considered.</summary>
public static class QueueOrdering
{
    /// <summary>
    /// FIFO: by <see cref="PendingSession.CreatedAt"/>, then by id so equal times still order the same way every round.
    /// LIFO: exactly the reverse of FIFO.
    /// DRF: ascending dominant share of each owner's currently occupied slots over <paramref name="clusterCapacity"/>
    /// (an owner missing from <paramref name="usage"/> holds nothing), ties in FIFO order; so a light user's session
    /// goes before a heavy user's. The shares are those at the start of the round: placing a session within the round
    /// does not reorder the rest.
    /// </summary>
    public static IReadOnlyList<PendingSession> Order(
        IReadOnlyList<PendingSession> pending, QueueOrder order,
        IReadOnlyDictionary<Guid, UserUsage> usage, ResourceSlots clusterCapacity)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(usage);
        return order switch
        {
            QueueOrder.Lifo => [.. pending.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)],
            QueueOrder.Drf => [.. pending
                .OrderBy(s => usage.TryGetValue(s.OwnerId, out var u) ? u.Occupied.DominantShare(clusterCapacity) : 0m)
                .ThenBy(s => s.CreatedAt).ThenBy(s => s.Id)],
            _ => [.. pending.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)],
        };
    }
}
