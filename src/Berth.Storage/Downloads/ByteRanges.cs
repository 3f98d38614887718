using Microsoft.AspNetCore.Http;

namespace Berth.Storage.Downloads;

/// <summary>
/// The parts of RFC 9110 range handling that ASP.NET's file results leave to us. Those results
/// already do the rest, which the storage tests pin down: a single <c>bytes=</c> range (including
/// a suffix <c>bytes=-N</c> and an open <c>bytes=N-</c>) is 206 with <c>Content-Range</c>; an
/// unsatisfiable one is 416 with <c>Content-Range: bytes */length</c>; <c>If-Range</c> with a stale
/// validator, a malformed set, and several ranges at once are all served as 200 with the whole
/// file (RFC 9110 §14.2 lets a server ignore Range; serving the whole file is simpler and safer than
/// multipart/byteranges, which few clients need and which lets a client ask for the same bytes many
/// times over); every file answer says <c>Accept-Ranges: bytes</c>.
/// </summary>
public static class ByteRanges
{
    /// <summary>
    /// RFC 9110 §14.2: "An origin server MUST ignore a Range header field that contains a range unit
    /// it does not understand." ASP.NET would read <c>items=0-5</c> as bytes 0–5, so a Range whose
    /// unit is not <c>bytes</c> is dropped here and the whole file is sent with 200.
    /// </summary>
    public static void IgnoreUnknownUnits(HttpRequest request)
    {
        var range = request.Headers.Range.ToString();
        if (range.Length == 0) return;
        var eq = range.IndexOf('=');
        var unit = eq < 0 ? range : range[..eq];
        if (!string.Equals(unit.Trim(), "bytes", StringComparison.OrdinalIgnoreCase) || unit != unit.Trim())
            request.Headers.Remove("Range");
    }
}
