using Berth.Core.Problems;
using Berth.Storage.Tokens;
using Microsoft.AspNetCore.Http;

namespace Berth.Storage.Http;

/// <summary>Reads the grant from <c>Authorization: Bearer</c> or, for browsers, <c>?token=</c>.</summary>
public static class StorageAuth
{
    public static StorageGrant Require(HttpContext http, StorageTokenService tokens, string operation)
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
        return grant;
    }
}
