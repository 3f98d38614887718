using Berth.Core.Apps;

namespace Berth.Core.Tests.Apps;

public class AppOpenRulesTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(1024)]
    [InlineData(10250)]
    [InlineData(65535)]
    public void No_port_or_one_within_1024_to_65535_may_be_asked_for(int? port) => Assert.Null(AppOpenRules.CheckPreferredPort(port));

    [Theory]
    [InlineData(0)]
    [InlineData(80)]
    [InlineData(1023)]
    [InlineData(65536)]
    [InlineData(-1)]
    public void A_port_outside_the_range_is_refused_naming_the_field(int port)
    {
        var problem = AppOpenRules.CheckPreferredPort(port);
        Assert.NotNull(problem);
        Assert.Equal("preferred-port-out-of-range", problem.Rule);
        Assert.Contains("1024–65535", problem.Detail);
    }
}
