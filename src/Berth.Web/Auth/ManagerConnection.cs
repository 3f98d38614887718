using Berth.Client;

namespace Berth.Web.Auth;

/// <summary>
/// One pooled HTTP transport to the manager for the whole console; each circuit gets a light
/// <see cref="BerthClient"/> over it, signed with its user's keypair.
/// </summary>
public sealed class ManagerConnection(WebOptions options) : IDisposable
{
    private readonly SocketsHttpHandler _handler = BerthClient.CreateDefaultHandler();

    public Uri Endpoint => options.Manager;

    public BerthClient CreateClient(ApiKeyPair? keys) => new(options.Manager, keys, _handler);

    public void Dispose() => _handler.Dispose();
}
