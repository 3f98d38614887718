using System.Security.Cryptography;
using System.Text.Json;

namespace Berth.Integration.Tests.Infrastructure;

public static class CliAssert
{
    public static CliResult Succeeded(CliResult result)
    {
        Assert.True(result.ExitCode == 0, $"expected success, got {result}");
        return result;
    }

    /// <summary>A refused command exits non-zero and tells the user the rule it broke, on stderr.</summary>
    public static CliResult FailedWith(CliResult result, string rule)
    {
        Assert.True(result.ExitCode != 0, $"expected failure with '{rule}', got {result}");
        Assert.Contains(rule, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr); // no stack traces for expected failures
        return result;
    }

    /// <summary>Refused by the CLI itself (e.g. a value outside an option's choices) before any request.</summary>
    public static CliResult FailedMentioning(CliResult result, string text)
    {
        Assert.True(result.ExitCode != 0, $"expected failure mentioning '{text}', got {result}");
        Assert.Contains(text, result.Stderr);
        return result;
    }

    public static JsonElement Json(CliResult result)
    {
        Succeeded(result);
        using var doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.Clone();
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    /// <summary>Writes pseudo-random bytes without holding the file in memory.</summary>
    public static string RandomFile(string directory, string name, long size)
    {
        var path = Path.Combine(directory, name);
        using var stream = File.Create(path);
        var buffer = new byte[1 << 20];
        var rng = new Random(size.GetHashCode());
        for (long written = 0; written < size;)
        {
            rng.NextBytes(buffer);
            var n = (int)Math.Min(buffer.Length, size - written);
            stream.Write(buffer, 0, n);
            written += n;
        }
        return path;
    }
}
