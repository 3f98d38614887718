namespace Berth.Agent.Images;

/// <summary>Finds the Debian mirror this machine's apt uses, for debootstrap.</summary>
public static class AptMirror
{
    public const string Default = "http://deb.debian.org/debian";

    /// <summary>
    /// The first enabled "deb" source (one-line or deb822 format) that serves <paramref name="suite"/>:
    /// /etc/apt/sources.list, then /etc/apt/sources.list.d/*.list and *.sources in name order.
    /// BERTH_DEBIAN_MIRROR overrides; <see cref="Default"/> when nothing matches.
    /// </summary>
    public static string Find(string suite, string aptDirectory = "/etc/apt")
    {
        if (Environment.GetEnvironmentVariable("BERTH_DEBIAN_MIRROR") is { Length: > 0 } overridden)
            return overridden.TrimEnd('/');

        var files = new List<string>();
        var main = Path.Combine(aptDirectory, "sources.list");
        if (File.Exists(main)) files.Add(main);
        var dir = Path.Combine(aptDirectory, "sources.list.d");
        if (Directory.Exists(dir))
            files.AddRange(Directory.EnumerateFiles(dir)
                .Where(f => f.EndsWith(".list", StringComparison.Ordinal) || f.EndsWith(".sources", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal));

        foreach (var file in files)
        {
            string text;
            try { text = File.ReadAllText(file); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            var found = file.EndsWith(".sources", StringComparison.Ordinal) ? FromDeb822(text, suite) : FromOneLine(text, suite);
            if (found is not null) return found.TrimEnd('/');
        }
        return Default;
    }

    /// <summary>One-line format: "deb [options] URI SUITE COMPONENT...".</summary>
    public static string? FromOneLine(string text, string suite)
    {
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine;
            var hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            line = line.Trim();
            if (!line.StartsWith("deb ", StringComparison.Ordinal) && !line.StartsWith("deb\t", StringComparison.Ordinal)) continue;
            line = line[3..].Trim();
            if (line.StartsWith('['))
            {
                var close = line.IndexOf(']');
                if (close < 0) continue;
                line = line[(close + 1)..].Trim();
            }
            var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2 && words[1] == suite && IsUsableUri(words[0])) return words[0];
        }
        return null;
    }

    /// <summary>deb822 format: stanzas with Types, URIs, Suites and optionally Enabled.</summary>
    public static string? FromDeb822(string text, string suite)
    {
        foreach (var stanza in text.Replace("\r", "").Split("\n\n"))
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string? last = null;
            foreach (var rawLine in stanza.Split('\n'))
            {
                if (rawLine.StartsWith('#') || rawLine.Trim().Length == 0) continue;
                if ((rawLine.StartsWith(' ') || rawLine.StartsWith('\t')) && last is not null)
                {
                    fields[last] += " " + rawLine.Trim();
                    continue;
                }
                var colon = rawLine.IndexOf(':');
                if (colon <= 0) continue;
                last = rawLine[..colon].Trim();
                fields[last] = rawLine[(colon + 1)..].Trim();
            }
            if (fields.TryGetValue("Enabled", out var enabled) && enabled.Equals("no", StringComparison.OrdinalIgnoreCase)) continue;
            if (!fields.TryGetValue("Types", out var types) || !Words(types).Contains("deb")) continue;
            if (!fields.TryGetValue("Suites", out var suites) || !Words(suites).Contains(suite)) continue;
            if (!fields.TryGetValue("URIs", out var uris)) continue;
            var uri = Words(uris).FirstOrDefault(IsUsableUri);
            if (uri is not null) return uri;
        }
        return null;
    }

    private static string[] Words(string s) => s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static bool IsUsableUri(string uri) =>
        uri.StartsWith("http://", StringComparison.Ordinal) || uri.StartsWith("https://", StringComparison.Ordinal) ||
        uri.StartsWith("file:/", StringComparison.Ordinal);
}
