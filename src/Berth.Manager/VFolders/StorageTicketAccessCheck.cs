using System.Collections.Concurrent;
using Berth.Core.Problems;
using Berth.Core.VFolders;
using Berth.Manager.Accounts;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Berth.Storage.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Manager.VFolders;

/// <summary>
/// Re-checks, on use, that a storage ticket's holder still has the access it was issued for: the keypair is
/// still active (not revoked, expired or logged out), its user still active, and the folder still reachable by
/// them with the permission the operation needs. Answers are trusted for <see cref="ManagerOptions.TicketAccessRecheck"/>
/// so that a chunked upload does not query the database per request; only "yes" is remembered.
/// </summary>
public sealed class StorageTicketAccessCheck(IServiceScopeFactory scopes, IOptions<ManagerOptions> options, TimeProvider clock)
    : IStorageGrantCheck
{
    private readonly ConcurrentDictionary<(string AccessKey, Guid FolderId, string Operation), DateTimeOffset> _allowedUntil = new();

    public async ValueTask CheckAsync(StorageGrant grant, CancellationToken ct)
    {
        if (grant.UserId is not { } userId || string.IsNullOrEmpty(grant.AccessKey))
            throw new Problem(401, "token-invalid", "This storage ticket names no holder; ask the manager for a new one.", "token").ToException();

        var key = (grant.AccessKey, grant.FolderId, grant.Operation);
        var now = clock.GetUtcNow();
        if (_allowedUntil.TryGetValue(key, out var until) && until > now) return;

        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BerthDbContext>();
            var keyPair = await KeyPairQueries.FindActiveAsync(db, grant.AccessKey, now.UtcDateTime, ct);
            if (keyPair?.User is not { } user || user.Id != userId)
                throw new Problem(401, "ticket-revoked",
                    "The keypair this ticket was issued to has been revoked, has expired or was logged out, or its user is no longer active.",
                    "token").ToException();

            var caller = new Caller(user.Id, user.Email, user.Role, keyPair.AccessKey);
            FolderAccess access;
            try
            {
                access = await scope.ServiceProvider.GetRequiredService<FolderAccessQuery>().ResolveAsync(caller, grant.FolderId.ToString(), ct);
            }
            catch (BerthProblemException e) when (e.Problem.Status == 404)
            {
                throw AccessGone("You no longer have access to this folder (it was unshared from you, moved out of your reach, or purged).");
            }
            if (VFolderLifecycle.Check(access.Folder.Status, VFolderAction.Use, access.Folder.Name) is { } state)
                throw AccessGone(state.Detail);
            if (grant.Operation == StorageOperations.Upload && !access.Permission.AllowsWrite())
                throw AccessGone($"Your access to '{access.Folder.Name}' is now read-only ({access.Permission.ToWire()}).");
        }

        _allowedUntil[key] = now + options.Value.TicketAccessRecheck;
        if (_allowedUntil.Count > 10_000) Prune(now);
    }

    private static BerthProblemException AccessGone(string detail) =>
        Problem.Forbidden("ticket-access-revoked", detail, "token").ToException();

    private void Prune(DateTimeOffset now)
    {
        foreach (var (k, until) in _allowedUntil)
            if (until <= now) _allowedUntil.TryRemove(k, out _);
    }
}
