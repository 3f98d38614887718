using System.Diagnostics;
using Berth.Client;
using Berth.Core.Units;
using Spectre.Console;

namespace Berth.Cli;

/// <summary>
/// Progress for uploads and downloads, on stderr: live Spectre bars (speed, time left) on a terminal,
/// otherwise a plain line per file at each 25% step or every 5 seconds, whichever comes first.
/// </summary>
internal static class TransferView
{
    /// <summary>Runs <paramref name="work"/> with a way to get a progress sink per file.</summary>
    public static async Task RunAsync(Func<Func<string, IProgress<TransferProgress>>, Task> work)
    {
        if (Output.StderrIsTerminal)
        {
            var progress = Output.Stderr.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(
                    new TaskDescriptionColumn(),
                    new ProgressBarColumn(),
                    new PercentageColumn(),
                    new DownloadedColumn(),
                    new TransferSpeedColumn(),
                    new RemainingTimeColumn());
            await progress.StartAsync(ctx => work(label => new BarProgress(ctx.AddTask(Markup.Escape(label), maxValue: 1))));
        }
        else
        {
            await work(label => new LineProgress(label));
        }
    }

    private sealed class BarProgress(ProgressTask task) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            if (value.TotalBytes is { } total)
            {
                task.IsIndeterminate = false;
                task.MaxValue = Math.Max(total, 1);
                task.Value = total == 0 ? 1 : value.BytesTransferred;
            }
            else
            {
                task.IsIndeterminate = true;
                task.MaxValue = double.MaxValue;
                task.Value = value.BytesTransferred;
            }
        }
    }

    private sealed class LineProgress(string label) : IProgress<TransferProgress>
    {
        private static readonly long Interval = Stopwatch.Frequency * 5;
        private readonly long _started = Stopwatch.GetTimestamp();
        private long _lastLine = Stopwatch.GetTimestamp();
        private int _lastQuarter = -1;
        private long _startBytes = -1;
        private bool _finished;

        public void Report(TransferProgress value)
        {
            if (_startBytes < 0) _startBytes = value.BytesTransferred;
            var now = Stopwatch.GetTimestamp();
            var quarter = value.TotalBytes is > 0 and var t ? (int)(value.BytesTransferred * 4 / t) : -1;
            var complete = value.TotalBytes is { } total && value.BytesTransferred >= total;
            if (_finished) return;
            if (quarter <= _lastQuarter && now - _lastLine < Interval && !complete) return;
            if (complete) _finished = true;
            _lastQuarter = Math.Max(_lastQuarter, quarter);
            _lastLine = now;

            var seconds = Stopwatch.GetElapsedTime(_started, now).TotalSeconds;
            var speed = seconds > 0 ? (value.BytesTransferred - _startBytes) / seconds : 0;
            var done = ByteSize.Format(value.BytesTransferred);
            var of = value.TotalBytes is { } tb ? $" / {ByteSize.Format(tb)} ({(tb == 0 ? 100 : value.BytesTransferred * 100 / tb)}%)" : "";
            Console.Error.WriteLine($"{label}: {done}{of}, {ByteSize.Format((long)speed)}/s");
        }
    }
}
