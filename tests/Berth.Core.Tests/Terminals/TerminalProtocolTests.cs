using Berth.Core.Terminals;

namespace Berth.Core.Tests.Terminals;

public class TerminalProtocolTests
{
    [Fact]
    public void A_resize_reads_back_as_written()
    {
        Assert.True(TerminalProtocol.TryParse(TerminalProtocol.Resize(132, 43), out var control));
        Assert.True(control.IsResize);
        Assert.Equal((132, 43), (control.Cols, control.Rows));
    }

    [Fact]
    public void An_exit_reads_back_with_its_code_or_none()
    {
        Assert.True(TerminalProtocol.TryParse(TerminalProtocol.Exit(7), out var seven));
        Assert.True(seven.IsExit);
        Assert.Equal(7, seven.Code);
        Assert.True(TerminalProtocol.TryParse(TerminalProtocol.Exit(null), out var unknown));
        Assert.True(unknown.IsExit);
        Assert.Null(unknown.Code);
        Assert.Equal("""{"type":"exit","code":0}""", TerminalProtocol.Exit(0));
    }

    [Fact]
    public void A_browser_resize_with_extra_fields_and_any_order_is_understood()
    {
        Assert.True(TerminalProtocol.TryParse("""{ "rows": 24, "extra": true, "cols": 80, "type": "resize" }""", out var control));
        Assert.Equal((80, 24), (control.Cols, control.Rows));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"cols":80,"rows":24}""")]
    [InlineData("""{"type":5}""")]
    [InlineData("""{"type":"resize","cols":80}""")]
    [InlineData("""{"type":"resize","cols":"80","rows":24}""")]
    [InlineData("""{"type":"resize","cols":0,"rows":24}""")]
    [InlineData("""{"type":"resize","cols":80,"rows":-3}""")]
    [InlineData("""{"type":"resize","cols":80.5,"rows":24}""")]
    public void Malformed_control_messages_are_not_read(string text) =>
        Assert.False(TerminalProtocol.TryParse(text, out _));

    [Fact]
    public void Unknown_control_messages_are_read_but_are_neither_resize_nor_exit()
    {
        Assert.True(TerminalProtocol.TryParse("""{"type":"ping"}""", out var control));
        Assert.False(control.IsResize);
        Assert.False(control.IsExit);
    }

    [Fact]
    public void Huge_sizes_are_clamped()
    {
        Assert.True(TerminalProtocol.TryParse("""{"type":"resize","cols":100000,"rows":2000000}""", out var control));
        Assert.Equal((TerminalProtocol.MaxSize, TerminalProtocol.MaxSize), (control.Cols, control.Rows));
        Assert.Equal("""{"type":"resize","cols":1000,"rows":1}""", TerminalProtocol.Resize(5000, -2));
    }

    [Theory]
    [InlineData(null, 80)]
    [InlineData(0, 80)]
    [InlineData(-1, 80)]
    [InlineData(120, 120)]
    [InlineData(99999, TerminalProtocol.MaxSize)]
    public void Query_sizes_fall_back_to_the_default_or_are_clamped(int? given, int expected) =>
        Assert.Equal(expected, TerminalProtocol.SizeOrDefault(given, 80));
}
