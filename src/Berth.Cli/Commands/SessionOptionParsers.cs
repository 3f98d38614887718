using System.CommandLine.Parsing;
using System.Globalization;
using Berth.Core.Contracts;
using Berth.Core.Units;

namespace Berth.Cli.Commands;

/// <summary>
/// The <c>-r</c>, <c>-m</c> and <c>-e</c> options of <c>berth session create</c>, turned into the request's
/// parts. The parsers throw <see cref="FormatException"/> with a sentence for the user; the option parsers
/// below turn that into a parse error (usage, exit 2). Values are checked for form only: the server decides
/// what is allowed (folder access, mount paths, resource limits).
/// </summary>
internal static class SessionOptionParsers
{
    private static readonly string[] Permissions = ["ro", "rw", "wd"];

    /// <summary><c>cpu=2</c>, <c>mem=4g</c> (or <c>memory=</c>), <c>shmem=256m</c>; several per option as <c>cpu=2,mem=4g</c>.</summary>
    public static ResourceRequestDto? ParseResources(IEnumerable<string> specs)
    {
        double? cpu = null;
        long? memory = null, shmem = null;
        int? gpus = null;
        var any = false;
        foreach (var part in specs.SelectMany(s => s.Split(',')))
        {
            any = true;
            var eq = part.IndexOf('=');
            if (eq <= 0 || eq == part.Length - 1)
                throw new FormatException($"-r '{part}': write KEY=VALUE, e.g. -r cpu=2 -r mem=4g -r shmem=256m");
            var key = part[..eq].Trim().ToLowerInvariant();
            var value = part[(eq + 1)..].Trim();
            switch (key)
            {
                case "cpu":
                    if (cpu is not null) throw Twice(key);
                    if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var c) || !double.IsFinite(c) || c <= 0)
                        throw new FormatException($"-r cpu='{value}': give a positive number of cores, e.g. cpu=2 or cpu=0.5");
                    cpu = c;
                    break;
                case "mem" or "memory":
                    if (memory is not null) throw Twice("mem");
                    memory = Size(key, value);
                    break;
                case "shmem":
                    if (shmem is not null) throw Twice(key);
                    shmem = Size(key, value);
                    break;
                case "cuda.device" or "gpu":
                    if (gpus is not null) throw Twice("cuda.device");
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var g))
                        throw new FormatException($"-r {key}='{value}': give a whole number of GPUs, e.g. cuda.device=1");
                    gpus = g;
                    break;
                default:
                    throw new FormatException($"-r '{part}': unknown resource '{key}'; use cpu, mem (or memory), shmem and cuda.device (or gpu)");
            }
        }
        return any ? new ResourceRequestDto(cpu, memory, shmem, gpus) : null;

        static FormatException Twice(string key) => new($"-r {key} is given twice");

        static long Size(string key, string value) =>
            ByteSize.TryParse(value, out var bytes) && bytes > 0
                ? bytes
                : throw new FormatException($"-r {key}='{value}': give a size, e.g. {key}=512m or {key}=4g");
    }

    /// <summary><c>NAME</c>, <c>NAME=PATH</c>, each optionally ending in <c>:ro</c>, <c>:rw</c> or <c>:wd</c>.</summary>
    public static MountRequestDto ParseMount(string spec)
    {
        var rest = spec.Trim();
        string? permission = null;
        var colon = rest.LastIndexOf(':');
        if (colon >= 0 && Permissions.Contains(rest[(colon + 1)..].ToLowerInvariant()))
        {
            permission = rest[(colon + 1)..].ToLowerInvariant();
            rest = rest[..colon];
        }

        var eq = rest.IndexOf('=');
        var name = eq < 0 ? rest : rest[..eq];
        var path = eq < 0 ? null : rest[(eq + 1)..];
        if (name.Length == 0)
            throw new FormatException($"-m '{spec}': the folder name is missing; write NAME[=PATH][:ro|:rw|:wd], e.g. -m data=/data:ro");
        if (name.Contains(':'))
            throw new FormatException($"-m '{spec}': '{name[(name.IndexOf(':') + 1)..]}' is not a permission, or is not last; " +
                                      "write NAME[=PATH][:ro|:rw|:wd] with ro, rw or wd");
        if (path is { Length: 0 })
            throw new FormatException($"-m '{spec}': the path after '=' is empty; leave out '=' to mount at /home/work/{name}");
        return new MountRequestDto(name, path, permission);
    }

    public static IReadOnlyList<MountRequestDto>? ParseMounts(IEnumerable<string> specs)
    {
        var mounts = specs.Select(ParseMount).ToList();
        return mounts.Count == 0 ? null : mounts;
    }

    /// <summary><c>KEY=VALUE</c>, split at the first <c>=</c> (the value may contain more, or be empty); a later key wins.</summary>
    public static IReadOnlyDictionary<string, string>? ParseEnvironment(IEnumerable<string> specs)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var eq = spec.IndexOf('=');
            if (eq < 0) throw new FormatException($"-e '{spec}': write KEY=VALUE, e.g. -e LANG=C.UTF-8");
            var key = spec[..eq];
            if (key.Length == 0) throw new FormatException($"-e '{spec}': the variable name before '=' is empty");
            if (key.Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch)))
                throw new FormatException($"-e '{spec}': a variable name cannot contain spaces or control characters");
            env[key] = spec[(eq + 1)..];
        }
        return env.Count == 0 ? null : env;
    }

    /// <summary><c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>, <c>1h30m</c> or plain seconds.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && plain > 0) return TimeSpan.FromSeconds(plain);
        var total = TimeSpan.Zero;
        var matches = System.Text.RegularExpressions.Regex.Matches(t, @"(\d+(?:\.\d+)?)([smhd])");
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != t)
            throw new FormatException($"'{text}' is not a duration; write e.g. 30s, 10m, 2h, 1d or 1h30m");
        foreach (System.Text.RegularExpressions.Match m in matches)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch { "s" => TimeSpan.FromSeconds(n), "m" => TimeSpan.FromMinutes(n), "h" => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) };
        }
        if (total <= TimeSpan.Zero) throw new FormatException($"'{text}' is not a positive duration");
        return total;
    }

    /// <summary>An absolute time (ISO 8601) or one relative to now (<c>20s</c>, <c>2h</c>).</summary>
    public static DateTimeOffset ParseStartsAt(string text, DateTimeOffset now)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at)) return at;
        try { return now + ParseDuration(text); }
        catch (FormatException) { throw new FormatException($"--starts-at '{text}': give a time (2026-12-01T09:00) or a delay (30s, 2h)"); }
    }

    public static DateTimeOffset? ParseStartsAt(ArgumentResult result, DateTimeOffset now) =>
        GuardValue(result, t => ParseStartsAt(t.Single(), now));

    public static double? ParseDurationSeconds(ArgumentResult result) =>
        GuardValue(result, t => ParseDuration(t.Single()).TotalSeconds);

    private static T? GuardValue<T>(ArgumentResult result, Func<IEnumerable<string>, T> parse) where T : struct
    {
        try { return parse(result.Tokens.Select(t => t.Value)); }
        catch (FormatException e)
        {
            result.AddError(e.Message);
            return null;
        }
    }

    // ---- as System.CommandLine custom parsers: a FormatException becomes a parse error (exit 2) ----------

    public static ResourceRequestDto? ParseResources(ArgumentResult result) => Guard(result, t => ParseResources(t));

    public static IReadOnlyList<MountRequestDto>? ParseMounts(ArgumentResult result) => Guard(result, t => ParseMounts(t));

    public static IReadOnlyDictionary<string, string>? ParseEnvironment(ArgumentResult result) => Guard(result, t => ParseEnvironment(t));

    private static T? Guard<T>(ArgumentResult result, Func<IEnumerable<string>, T?> parse) where T : class
    {
        try
        {
            return parse(result.Tokens.Select(t => t.Value));
        }
        catch (FormatException e)
        {
            result.AddError(e.Message);
            return null;
        }
    }
}
