using Berth.Core.Scheduling;
using static Berth.Core.Tests.Scheduling.Fx;

namespace Berth.Core.Tests.Scheduling;

public class QueueOrderingTests
{
    private static readonly Dictionary<Guid, UserUsage> NoUsage = [];

    private static int[] Ids(IReadOnlyList<PendingSession> ordered) => [.. ordered.Select(IdOf)];

    private static int IdOf(PendingSession s) => int.Parse(s.Name["sess-".Length..]);

    [Fact]
    public void Fifo_is_oldest_first_and_ties_go_by_id()
    {
        PendingSession[] pending = [Session(3, createdSec: 20), Session(2, createdSec: 10), Session(5, createdSec: 10), Session(1, createdSec: 30)];
        var ordered = QueueOrdering.Order(pending, QueueOrder.Fifo, NoUsage, S("cpu=10"));
        Assert.Equal([2, 5, 3, 1], Ids(ordered));
    }

    [Fact]
    public void Lifo_is_exactly_reversed_fifo()
    {
        PendingSession[] pending = [Session(3, createdSec: 20), Session(2, createdSec: 10), Session(5, createdSec: 10), Session(1, createdSec: 30)];
        var lifo = QueueOrdering.Order(pending, QueueOrder.Lifo, NoUsage, S("cpu=10"));
        var fifo = QueueOrdering.Order(pending, QueueOrder.Fifo, NoUsage, S("cpu=10"));
        Assert.Equal([1, 3, 5, 2], Ids(lifo));
        Assert.Equal(Ids(fifo).Reverse(), Ids(lifo));
    }

    [Fact]
    public void Drf_puts_a_light_users_session_before_a_heavy_users_older_one()
    {
        var usage = new Dictionary<Guid, UserUsage>
        {
            [G(1)] = Usage(1, live: 4, occupied: "cpu=8 mem=8g"),        // heavy: 80% of cpu
            [G(2)] = Usage(2, live: 1, occupied: "cpu=1 mem=40g"),       // medium: 40% of mem
            [G(3)] = Usage(3, live: 1, occupied: "cpu=1 mem=1g"),        // light: 10%
        };
        PendingSession[] pending =
        [
            Session(1, owner: 1, createdSec: 0),
            Session(2, owner: 2, createdSec: 5),
            Session(3, owner: 3, createdSec: 10),
            Session(4, owner: 4, createdSec: 15), // holds nothing (no usage entry): goes first
            Session(5, owner: 3, createdSec: 1),  // light user's older session ties with 3: FIFO among them
        ];
        var ordered = QueueOrdering.Order(pending, QueueOrder.Drf, usage, S("cpu=10 mem=100g"));
        Assert.Equal([4, 5, 3, 2, 1], Ids(ordered));
    }

    [Fact]
    public void Drf_with_equal_shares_is_fifo()
    {
        var usage = new Dictionary<Guid, UserUsage> { [G(1)] = Usage(1, occupied: "cpu=2"), [G(2)] = Usage(2, occupied: "cpu=2") };
        PendingSession[] pending = [Session(1, owner: 2, createdSec: 9), Session(2, owner: 1, createdSec: 3)];
        Assert.Equal([2, 1], Ids(QueueOrdering.Order(pending, QueueOrder.Drf, usage, S("cpu=10"))));
    }

    [Fact]
    public void Empty_queue_stays_empty()
    {
        foreach (var order in Enum.GetValues<QueueOrder>())
            Assert.Empty(QueueOrdering.Order([], order, NoUsage, ResourceSlots.Zero));
    }
}
