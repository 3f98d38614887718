using System.Security.Claims;
using Berth.Client;
using Microsoft.AspNetCore.Components.Authorization;

namespace Berth.Web.Auth;

/// <summary>
/// The signed-in user of one circuit (scoped): who they are, from the cookie's claims, and a client that
/// signs with the keypair the vault keeps for them. Pages call the manager only through <see cref="Client"/>.
/// </summary>
public sealed class ConsoleUser(AuthenticationStateProvider authentication, KeyPairVault vault, ManagerConnection manager) : IDisposable
{
    private BerthClient? _client;

    public string Email { get; private set; } = "";
    public string Role { get; private set; } = "";
    public bool IsAdmin => Role is "admin" or "superadmin";
    public bool IsSuperAdmin => Role == "superadmin";

    /// <summary>The circuit's client; throws when the browser is not signed in (the pages require it, so that is a bug).</summary>
    public BerthClient Client => _client ?? throw new InvalidOperationException("ConsoleUser.EnsureAsync has not run for this circuit.");

    /// <summary>Reads the circuit's user once; false when it is not signed in or its keypair is gone (signed out elsewhere).</summary>
    public async Task<bool> EnsureAsync()
    {
        if (_client is not null) return true;
        var state = await authentication.GetAuthenticationStateAsync();
        var principal = state.User;
        var keys = vault.Find(principal.FindFirstValue(ConsoleAuth.HandleClaim));
        if (principal.Identity?.IsAuthenticated != true || keys is null) return false;
        Email = principal.FindFirstValue(ClaimTypes.Name) ?? "";
        Role = principal.FindFirstValue(ClaimTypes.Role) ?? "user";
        _client = manager.CreateClient(keys);
        return true;
    }

    public void Dispose() => _client?.Dispose();
}
