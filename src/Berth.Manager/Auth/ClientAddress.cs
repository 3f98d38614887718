using Microsoft.AspNetCore.Http;

namespace Berth.Manager.Auth;

/// <summary>
/// The address a request came from, as the socket saw it. Forwarded-for headers are not trusted: behind a
/// reverse proxy every client shares the proxy's address (configure the proxy to limit logins, or raise
/// <c>Login:AddressFailureLimit</c>).
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress;
        if (ip is null) return "unknown";
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        return ip.ToString();
    }
}
