namespace Berth.Core.Idle;

/// <summary>One measurement of a session's use: % of its allocated CPUs, % of its memory limit, % GPU (null: none measured).</summary>
public sealed record UtilizationSample(DateTimeOffset At, double Cpu, double Mem, double? Cuda);

/// <summary>
/// The recent samples of one session, oldest first, kept for as long as the longest window needs. Remembers when
/// the first sample arrived, so the utilization check can tell a window that is full from one still filling.
/// Not thread-safe: the owner locks.
/// </summary>
public sealed class UtilizationWindow(TimeSpan keep)
{
    private readonly List<UtilizationSample> _samples = [];

    public DateTimeOffset? FirstSampleAt { get; private set; }

    public IReadOnlyList<UtilizationSample> Samples => _samples;

    public TimeSpan Keep { get; set; } = keep;

    public void Add(UtilizationSample sample)
    {
        FirstSampleAt ??= sample.At;
        var i = _samples.Count;
        while (i > 0 && _samples[i - 1].At > sample.At) i--;
        _samples.Insert(i, sample);
        var cutoff = _samples[^1].At - Keep;
        var old = _samples.FindIndex(s => s.At >= cutoff);
        if (old > 0) _samples.RemoveRange(0, old);
    }

    /// <summary>A copy of the samples taken at or after <paramref name="from"/>.</summary>
    public IReadOnlyList<UtilizationSample> Since(DateTimeOffset from) => _samples.Where(s => s.At >= from).ToList();
}
