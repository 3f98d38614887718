namespace Berth.Storage.Tokens;

/// <summary>
/// A signature and an expiry only say that a ticket was once granted. Whoever issues tickets (the manager)
/// plugs in this check so that each use also asks whether the holder still has that access now; it throws
/// a 401/403 problem when not. A storage without a manager (unit tests) trusts the signature alone.
/// </summary>
public interface IStorageGrantCheck
{
    ValueTask CheckAsync(StorageGrant grant, CancellationToken ct);
}

/// <summary>The storage's default: the signed grant is all there is to check.</summary>
public sealed class SignatureOnlyGrantCheck : IStorageGrantCheck
{
    public ValueTask CheckAsync(StorageGrant grant, CancellationToken ct) => ValueTask.CompletedTask;
}
