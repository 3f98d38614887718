using Berth.Core.Apps;

namespace Berth.Core.Tests.Apps;

public class AppPortRangeTests
{
    private static readonly HashSet<int> None = [];

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("off")]
    [InlineData("OFF")]
    [InlineData("none")]
    public void Empty_or_off_switches_the_pool_off(string? text)
    {
        Assert.True(AppPortRange.TryParse(text, out var range, out var error));
        Assert.Null(range);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("10250-10349", 10250, 10349)]
    [InlineData(" 20000 - 20001 ", 20000, 20001)]
    [InlineData("30000", 30000, 30000)]
    public void Ranges_and_single_ports_parse(string text, int first, int last)
    {
        Assert.True(AppPortRange.TryParse(text, out var range, out _));
        Assert.Equal(new AppPortRange(first, last), range);
        Assert.Equal(last - first + 1, range!.Count);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("100-200")]      // below 1024
    [InlineData("60000-70000")]  // above 65535
    [InlineData("2000-1500")]    // backwards
    [InlineData("1-2-3")]
    [InlineData("+2000")]
    public void Anything_else_is_an_error(string text)
    {
        Assert.False(AppPortRange.TryParse(text, out var range, out var error));
        Assert.Null(range);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void The_preferred_port_comes_first_when_it_is_in_the_range_and_free()
    {
        var range = new AppPortRange(10000, 10004);
        Assert.Equal([10003, 10000, 10001, 10002, 10004], range.Candidates(10003, None).ToList());
    }

    [Fact]
    public void A_preferred_port_outside_the_range_or_in_use_is_not_tried()
    {
        var range = new AppPortRange(10000, 10002);
        Assert.Equal([10000, 10001, 10002], range.Candidates(9999, None).ToList());
        Assert.Equal([10000, 10002], range.Candidates(10001, new HashSet<int> { 10001 }).ToList());
    }

    [Fact]
    public void Ports_in_use_are_skipped_and_a_full_pool_has_no_candidates()
    {
        var range = new AppPortRange(10000, 10002);
        Assert.Equal([10001], range.Candidates(null, new HashSet<int> { 10000, 10002 }).ToList());
        Assert.Empty(range.Candidates(10001, new HashSet<int> { 10000, 10001, 10002 }));
    }
}
