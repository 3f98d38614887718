using System.Collections.Concurrent;
using Berth.Core.Contracts;
using Berth.Core.Idle;

namespace Berth.Manager.Idle;

/// <summary>
/// The recent utilization samples of each session, as its agent reported them to this manager. In memory: a
/// manager that restarts starts every window afresh, so the utilization check waits a full window again before it
/// can end a session.
/// </summary>
public sealed class SessionUtilization
{
    private static readonly TimeSpan DefaultKeep = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<Guid, UtilizationWindow> _windows = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, KernelStatsSample>> _latest = new();

    /// <summary>A session got a new sample (its id); raised on the reporting thread, so handlers only hand it on.</summary>
    public event Action<Guid>? Recorded;

    public void Record(KernelStatsSample s)
    {
        var window = _windows.GetOrAdd(s.SessionId, _ => new UtilizationWindow(DefaultKeep));
        lock (window) window.Add(new UtilizationSample(s.At, Clamp(s.CpuPercent), Clamp(s.MemPercent), s.CudaPercent is { } c ? Clamp(c) : null));
        _latest.GetOrAdd(s.SessionId, _ => new())[s.KernelId] = s;
        Recorded?.Invoke(s.SessionId);
    }

    /// <summary>Each kernel's newest sample of the session (kernel id → sample), for the live usage view.</summary>
    public IReadOnlyDictionary<Guid, KernelStatsSample> Latest(Guid session) =>
        _latest.TryGetValue(session, out var kernels) ? new Dictionary<Guid, KernelStatsSample>(kernels) : new Dictionary<Guid, KernelStatsSample>();

    private static double Clamp(double v) => double.IsFinite(v) ? Math.Clamp(v, 0, 100) : 0;

    /// <summary>Runs <paramref name="read"/> on the session's window (null when none) while nobody adds to it.</summary>
    public T Read<T>(Guid session, TimeSpan keepAtLeast, Func<UtilizationWindow?, T> read)
    {
        if (!_windows.TryGetValue(session, out var window)) return read(null);
        lock (window)
        {
            if (window.Keep < keepAtLeast) window.Keep = keepAtLeast;
            return read(window);
        }
    }

    /// <summary>Drops the windows of sessions that no longer run.</summary>
    public void RetainOnly(IReadOnlySet<Guid> running)
    {
        foreach (var id in _windows.Keys.Where(id => !running.Contains(id))) _windows.TryRemove(id, out _);
        foreach (var id in _latest.Keys.Where(id => !running.Contains(id))) _latest.TryRemove(id, out _);
    }
}
