using System.Globalization;

namespace Berth.Agent.Networking;

/// <summary>The host's IPv4 routes (<c>/proc/net/route</c>): a session network must not shadow a network the host reaches.</summary>
public static class HostRoutes
{
    public static IReadOnlyList<Ipv4Subnet> Read(string path = "/proc/net/route")
    {
        try { return Parse(File.ReadAllLines(path)); }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }

    /// <summary>Destination and mask are little-endian hex; the default route (0/0) covers everything and is left out.</summary>
    public static IReadOnlyList<Ipv4Subnet> Parse(IEnumerable<string> lines)
    {
        var routes = new List<Ipv4Subnet>();
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 8
                || !uint.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var destination)
                || !uint.TryParse(f[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)) continue;
            var hostMask = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(mask);
            if (hostMask == 0) continue;
            var length = System.Numerics.BitOperations.PopCount(hostMask);
            routes.Add(new Ipv4Subnet(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(destination) & hostMask, length));
        }
        return routes;
    }
}
