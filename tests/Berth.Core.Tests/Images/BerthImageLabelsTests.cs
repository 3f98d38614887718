using Berth.Core.Contracts;
using Berth.Core.Images;

namespace Berth.Core.Tests.Images;

public class BerthImageLabelsTests
{
    [Fact]
    public void Service_ports_parse_as_name_protocol_port()
    {
        Assert.Equal(
            [new ServicePortDto("jupyter", "http", 8888), new ServicePortDto("ttyd", "http", 7681)],
            BerthImageLabels.ParseServicePorts("jupyter:http:8888, ttyd:http:7681"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("jupyter")]
    [InlineData("jupyter:http")]
    [InlineData("jupyter:http:port")]
    [InlineData("jupyter:http:0")]
    [InlineData("jupyter:http:70000")]
    [InlineData(":http:8888")]
    [InlineData("a:b:c:8888")]
    public void Malformed_entries_are_skipped(string? label) => Assert.Empty(BerthImageLabels.ParseServicePorts(label));

    [Fact]
    public void A_repeated_name_keeps_its_first_entry()
    {
        Assert.Equal([new ServicePortDto("web", "http", 8000)], BerthImageLabels.ParseServicePorts("web:http:8000,web:http:9000"));
    }

    [Fact]
    public void A_service_command_is_read_from_its_own_label()
    {
        Assert.Equal("ai.berth.service.jupyter.command", BerthImageLabels.ServiceCommand("jupyter"));
        var labels = new Dictionary<string, string>
        {
            [BerthImageLabels.ServicePorts] = "jupyter:http:8888,web:http:8000,blank:http:8001",
            ["ai.berth.service.jupyter.command"] = "  jupyter notebook --port=8888 ",
            ["ai.berth.service.blank.command"] = "   ",
        };
        Assert.Equal("jupyter notebook --port=8888", BerthImageLabels.ServiceCommandOf(labels, "jupyter"));
        Assert.Null(BerthImageLabels.ServiceCommandOf(labels, "web"));
        Assert.Null(BerthImageLabels.ServiceCommandOf(labels, "blank"));
        Assert.Null(BerthImageLabels.ServiceCommandOf(null, "jupyter"));
    }

    [Theory]
    [InlineData("jupyter", true)]
    [InlineData("port-8080", true)]
    [InlineData("my_app2", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("a b", false)]
    [InlineData("../x", false)]
    [InlineData("x;rm", false)]
    public void Service_names_are_plain_words(string? name, bool valid) => Assert.Equal(valid, BerthImageLabels.IsServiceName(name));
}
