using System.Collections.Concurrent;
using System.Threading.Channels;
using Berth.Core.Accounts;
using Berth.Core.Contracts;

namespace Berth.Manager.Sessions;

/// <summary>Fans lifecycle events out to the event-stream subscribers of this manager process.</summary>
public sealed class SessionEventHub
{
    /// <param name="OwnerRole">Decides which admins may see the event: only those who outrank the owner, as with every
    /// other read of another user's session (null when unknown: then only the owner sees it).</param>
    public sealed record Envelope(Guid OwnerId, UserRole? OwnerRole, SessionEventDto Event)
    {
        public bool VisibleTo(Guid userId, UserRole role) => OwnerId == userId || OwnerRole is { } owner && role.Outranks(owner);
    }

    private readonly ConcurrentDictionary<Guid, Channel<Envelope>> _subscribers = new();

    public void Publish(Guid ownerId, UserRole? ownerRole, SessionEventDto e)
    {
        foreach (var channel in _subscribers.Values) channel.Writer.TryWrite(new Envelope(ownerId, ownerRole, e));
    }

    public (Guid Id, ChannelReader<Envelope> Reader) Subscribe()
    {
        // Bounded so a stalled client cannot grow the server's memory; the oldest events give way.
        var channel = Channel.CreateBounded<Envelope>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        var id = Guid.NewGuid();
        _subscribers[id] = channel;
        return (id, channel.Reader);
    }

    public void Unsubscribe(Guid id)
    {
        if (_subscribers.TryRemove(id, out var channel)) channel.Writer.TryComplete();
    }
}
