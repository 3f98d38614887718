using Berth.Core.Problems;
using Berth.Storage.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Storage.Http;

/// <summary>
/// Reads the grant from <c>Authorization: Bearer</c> or, for browsers, <c>?token=</c>, verifies it, and asks
/// <see cref="IStorageGrantCheck"/> whether its holder still has that access.
/// </summary>
public static class StorageAuth
{
    public static async ValueTask<StorageGrant> RequireAsync(HttpContext http, StorageTokenService tokens, string operation)
    {
        string? token = null;
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = header[7..].Trim();
        else if (http.Request.Query.TryGetValue("token", out var q)) token = q.ToString();
        if (string.IsNullOrEmpty(token))
            throw new Problem(401, "token-missing", "A storage token is required (Authorization: Bearer or ?token=).", "token").ToException();
        var grant = tokens.Validate(token);
        if (grant.Operation != operation)
            throw Problem.Forbidden("token-operation-mismatch", $"The token grants '{grant.Operation}', not '{operation}'.", "token").ToException();
        await http.RequestServices.GetRequiredService<IStorageGrantCheck>().CheckAsync(grant, http.RequestAborted);
        return grant;
    }
}
