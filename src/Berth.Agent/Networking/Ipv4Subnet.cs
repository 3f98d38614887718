using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Agent.Networking;

/// <summary>An IPv4 prefix (<c>10.208.0.0/12</c>): what session networks are carved out of, and what they must not overlap.</summary>
public readonly record struct Ipv4Subnet(uint Network, int PrefixLength)
{
    public uint Mask => PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);
    public ulong Size => 1UL << (32 - PrefixLength);

    public bool Overlaps(Ipv4Subnet other)
    {
        var mask = PrefixLength < other.PrefixLength ? Mask : other.Mask;
        return (Network & mask) == (other.Network & mask);
    }

    public override string ToString() =>
        $"{Network >> 24}.{(Network >> 16) & 255}.{(Network >> 8) & 255}.{Network & 255}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string? text, out Ipv4Subnet subnet)
    {
        subnet = default;
        var slash = text?.IndexOf('/') ?? -1;
        if (text is null || slash < 0) return false;
        if (!IPAddress.TryParse(text[..slash], out var address) || address.AddressFamily != AddressFamily.InterNetwork) return false;
        if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > 32) return false;
        var bytes = address.GetAddressBytes();
        var value = (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
        subnet = new Ipv4Subnet(value, length);
        subnet = subnet with { Network = value & subnet.Mask };
        return true;
    }

    /// <summary>
    /// The first <paramref name="prefixLength"/> block of <paramref name="pool"/>, searching from block number
    /// <paramref name="startBlock"/> and wrapping round, that overlaps none of <paramref name="taken"/> (the engine's
    /// other networks, whoever made them, and the host's routes); null when the pool is full.
    /// </summary>
    public static Ipv4Subnet? FirstFree(Ipv4Subnet pool, int prefixLength, IReadOnlyCollection<Ipv4Subnet> taken, ulong startBlock = 0)
    {
        if (prefixLength < pool.PrefixLength || prefixLength > 30) return null;
        var step = 1UL << (32 - prefixLength);
        var blocks = pool.Size / step;
        var start = pool.Network + startBlock % blocks * step;
        return FirstFreeIn(start, pool.Network + pool.Size, prefixLength, taken)
            ?? FirstFreeIn(pool.Network, start, prefixLength, taken);
    }

    private static Ipv4Subnet? FirstFreeIn(ulong from, ulong to, int prefixLength, IReadOnlyCollection<Ipv4Subnet> taken)
    {
        var step = 1UL << (32 - prefixLength);
        for (var at = from; at < to; at += step)
        {
            var candidate = new Ipv4Subnet((uint)at, prefixLength);
            var clash = taken.FirstOrDefault(t => t.Overlaps(candidate), new Ipv4Subnet(0, -1));
            if (clash.PrefixLength < 0) return candidate;
            // Skip the whole taken block when it is larger than one candidate.
            if (clash.PrefixLength < prefixLength) at = Math.Max(at, (ulong)clash.Network + clash.Size - step);
        }
        return null;
    }
}
