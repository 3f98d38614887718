using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Berth.Core.Contracts;

namespace Berth.Cli.Commands;

/// <summary>The idle-check options shared by <c>admin resource-group create|update</c> and <c>admin policy create</c>.</summary>
internal sealed class IdleOptions
{
    public readonly Option<double?> NetworkTimeout = new("--idle-network-timeout")
    {
        Description = "End interactive sessions with no user traffic for this long (e.g. 30m; 0 or off: no check)",
        CustomParser = r => IdleOptionParsers.Guard(r, IdleOptionParsers.ParseSecondsOrOff),
    };
    public readonly Option<double?> MaxExtension = new("--idle-max-extension")
    {
        Description = "How far ahead `session keep-alive` may push the network deadline (default: the timeout)",
        CustomParser = r => IdleOptionParsers.Guard(r, IdleOptionParsers.ParseSecondsOrOff),
    };
    public readonly Option<UtilizationCheckDto?> Utilization = new("--idle-utilization")
    {
        Description = "Utilization check: 'grace=10m,window=10m,cpu=5,mem=10,cuda=10,op=and' (thresholds in %), or off",
        CustomParser = r => IdleOptionParsers.GuardRef(r, IdleOptionParsers.ParseUtilization),
    };

    public IEnumerable<Option> All => [NetworkTimeout, MaxExtension, Utilization];

    /// <summary>Null when none of the options was given.</summary>
    public IdleChecksDto? Request(ParseResult r)
    {
        var (timeout, extension, utilization) = (r.GetValue(NetworkTimeout), r.GetValue(MaxExtension), r.GetValue(Utilization));
        return timeout is null && extension is null && utilization is null ? null : new IdleChecksDto(timeout, extension, utilization);
    }
}

public static class IdleOptionParsers
{
    /// <summary>A duration (<c>30s</c>, <c>10m</c>, plain seconds), or <c>0</c>/<c>off</c> for none.</summary>
    public static double ParseSecondsOrOff(string text) =>
        text.Trim().ToLowerInvariant() is "0" or "off" or "none" ? 0 : SessionOptionParsers.ParseDuration(text).TotalSeconds;

    /// <summary><c>grace=10m,window=10m,cpu=5,mem=10,cuda=10,op=and</c>, or <c>off</c>.</summary>
    public static UtilizationCheckDto ParseUtilization(string text)
    {
        if (text.Trim().ToLowerInvariant() is "off" or "none" or "false") return new UtilizationCheckDto(Enabled: false);
        double? grace = null, window = null, cpu = null, mem = null, cuda = null;
        string? op = null;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) throw new FormatException($"'{part}' is not KEY=VALUE; write e.g. grace=10m,window=10m,cpu=5,op=and");
            var (key, value) = (part[..eq].Trim().ToLowerInvariant(), part[(eq + 1)..].Trim());
            switch (key)
            {
                case "grace": grace = ParseSecondsOrOff(value); break;
                case "window": window = SessionOptionParsers.ParseDuration(value).TotalSeconds; break;
                case "cpu" or "cpu_util": cpu = Percent(key, value); break;
                case "mem": mem = Percent(key, value); break;
                case "cuda" or "cuda_util" or "gpu": cuda = Percent(key, value); break;
                case "op" or "operator": op = value.ToLowerInvariant(); break;
                default: throw new FormatException($"'{key}' is not a utilization setting; use grace, window, cpu, mem, cuda or op");
            }
        }
        return new UtilizationCheckDto(true, grace, window, cpu, mem, cuda, op);
    }

    private static double Percent(string key, string value) =>
        double.TryParse(value.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var p)
            ? p : throw new FormatException($"{key}={value}: the threshold is a percentage, e.g. {key}=5");

    internal static double? Guard(ArgumentResult result, Func<string, double> parse)
    {
        try { return parse(result.Tokens.Single().Value); }
        catch (FormatException e) { result.AddError(e.Message); return null; }
    }

    internal static T? GuardRef<T>(ArgumentResult result, Func<string, T> parse) where T : class
    {
        try { return parse(result.Tokens.Single().Value); }
        catch (FormatException e) { result.AddError(e.Message); return null; }
    }
}
