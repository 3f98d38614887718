using Berth.Core.Sessions;

namespace Berth.Core.Tests.Sessions;

public class PreopenPortRulesTests
{
    private static readonly int[] NoServices = [];

    [Fact]
    public void Null_and_empty_lists_pass()
    {
        Assert.Null(PreopenPortRules.Check(null, NoServices));
        Assert.Null(PreopenPortRules.Check([], NoServices));
    }

    [Fact]
    public void Accepts_ports_in_range_up_to_the_limit()
    {
        Assert.Null(PreopenPortRules.Check([1024, 8080, 65535], NoServices));
        Assert.Null(PreopenPortRules.Check(Enumerable.Range(8000, PreopenPortRules.MaxPorts).ToList(), NoServices));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(80)]
    [InlineData(1023)]
    [InlineData(65536)]
    [InlineData(70000)]
    [InlineData(-1)]
    public void Refuses_ports_out_of_range(int port)
    {
        var p = PreopenPortRules.Check([8080, port], NoServices);
        Assert.Equal("preopen-port-out-of-range", p?.Rule);
        Assert.Equal("preopenPorts[1]", p?.Field);
    }

    [Fact]
    public void Refuses_more_than_ten()
    {
        var p = PreopenPortRules.Check(Enumerable.Range(8000, 11).ToList(), NoServices);
        Assert.Equal("preopen-too-many", p?.Rule);
        Assert.Equal("preopenPorts", p?.Field);
    }

    [Fact]
    public void Refuses_duplicates_at_the_second_occurrence()
    {
        var p = PreopenPortRules.Check([8080, 8081, 8080], NoServices);
        Assert.Equal("preopen-duplicate", p?.Rule);
        Assert.Equal("preopenPorts[2]", p?.Field);
    }

    [Fact]
    public void Refuses_the_images_service_ports()
    {
        var p = PreopenPortRules.Check([8080, 8888], [8888]);
        Assert.Equal("preopen-port-taken", p?.Rule);
        Assert.Equal("preopenPorts[1]", p?.Field);
    }

    [Theory]
    [InlineData(2000)]
    [InlineData(2003)]
    public void Refuses_reserved_ports(int port) =>
        Assert.Equal("preopen-port-reserved", PreopenPortRules.Check([port], NoServices)?.Rule);

    [Fact]
    public void Names_apps_by_port() => Assert.Equal("port-8080", PreopenPortRules.AppName(8080));
}
