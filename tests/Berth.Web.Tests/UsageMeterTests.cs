using Berth.Core.Contracts;
using Berth.Web.Components.Summary;

namespace Berth.Web.Tests;

/// <summary>The Summary page's meters: the words and the bar agree, and a limit the policy does not set draws no bar.</summary>
public sealed class UsageMeterTests
{
    private static MyUsageDto Usage(IReadOnlyDictionary<string, decimal>? max, IReadOnlyDictionary<string, decimal> occupied, int? maxSessions = 4, int live = 1) =>
        new("u@example.com", "default", maxSessions, live, null, 0, max, occupied, []);

    [Fact]
    public void Meters_come_in_order_with_their_limits_and_percent()
    {
        var meters = UsageMeter.From(Usage(new Dictionary<string, decimal> { ["cpu"] = 4, ["mem"] = 2L << 30 },
            new Dictionary<string, decimal> { ["cpu"] = 1, ["mem"] = 1L << 30 }));
        Assert.Equal(["Sessions", "CPU", "Memory", "GPU"], meters.Select(m => m.Label));
        Assert.Equal("1 of 4", meters[0].Text);
        Assert.Equal(25, meters[0].Percent);
        Assert.Equal("1 core of 4 cores", meters[1].Text);
        Assert.Equal("1 GiB of 2 GiB", meters[2].Text);
        Assert.Equal(50, meters[2].Percent);
        Assert.Equal("0 (no limit)", meters[3].Text);
        Assert.Null(meters[3].Percent);
    }

    [Fact]
    public void No_policy_limits_means_no_bars_and_over_use_caps_at_full()
    {
        var unlimited = UsageMeter.From(Usage(null, new Dictionary<string, decimal>(), maxSessions: null, live: 0));
        Assert.All(unlimited, m => Assert.Null(m.Percent));
        Assert.Equal("0 cores (no limit)", unlimited[1].Text);

        var over = UsageMeter.From(Usage(new Dictionary<string, decimal> { ["cuda.device"] = 0, ["cpu"] = 2 },
            new Dictionary<string, decimal> { ["cuda.device"] = 1, ["cpu"] = 3 }));
        Assert.Equal(100, over[1].Percent);
        Assert.Equal(100, over[3].Percent);
    }
}
