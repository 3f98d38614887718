using System.Globalization;
using Berth.Core.Contracts;
using MudBlazor;

namespace Berth.Web.Components.Sessions;

/// <summary>How the console words and colours a session's fields (one place, so the table and the panel agree).</summary>
public static class SessionText
{
    public static string Resources(ResourcesDto r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.Cpu:0.##} CPU · {Bytes(r.MemoryBytes)}") + (r.CudaDevices > 0 ? $" · {r.CudaDevices} GPU" : "");

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }

    /// <summary>Time since it started (or was created, while it waits), up to its end once it ended.</summary>
    public static string Elapsed(SessionDto s, DateTimeOffset now)
    {
        var from = s.StartedAt ?? s.CreatedAt;
        var to = s.TerminatedAt ?? now;
        var span = to < from ? TimeSpan.Zero : to - from;
        return span.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d {span:hh\\:mm\\:ss}")
            : span.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
    }

    public static Color StatusColor(string status) => status switch
    {
        "RUNNING" => Color.Success,
        "PENDING" or "SCHEDULED" or "PREPARING" or "CREATING" => Color.Info,
        "TERMINATING" => Color.Warning,
        "ERROR" => Color.Error,
        _ => Color.Default,
    };

    /// <summary>Why a PENDING session waits, in words (the scheduler's own messages), or null when it does not wait.</summary>
    public static string? WaitingWhy(SessionDto s)
    {
        if (s.Status != "PENDING") return null;
        var reasons = s.WaitReasons is { Count: > 0 } w ? string.Join(" ", w.Select(r => r.Message)) : "Waiting for the scheduler to place it.";
        return s.QueuePosition is { } position ? $"{reasons} Position in the queue: {position}." : reasons;
    }

    public static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
