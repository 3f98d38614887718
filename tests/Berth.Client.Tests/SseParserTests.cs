namespace Berth.Client.Tests;

public sealed class SseParserTests
{
    private static async Task<List<ServerSentEvent>> Parse(string text)
    {
        var list = new List<ServerSentEvent>();
        await foreach (var e in ServerSentEventReader.ReadAsync(new StringReader(text))) list.Add(e);
        return list;
    }

    [Fact]
    public async Task Events_with_a_type_and_data()
    {
        var events = await Parse("event: session\ndata: {\"a\":1}\n\nevent: session\ndata: {\"a\":2}\n\n");
        Assert.Equal([new ServerSentEvent("session", "{\"a\":1}", null), new ServerSentEvent("session", "{\"a\":2}", null)], events);
    }

    [Fact]
    public async Task Several_data_lines_join_with_newlines()
    {
        var events = await Parse("data: {\ndata:   \"a\": 1\ndata:}\n\n");
        Assert.Equal("{\n  \"a\": 1\n}", Assert.Single(events).Data);
    }

    [Fact]
    public async Task Comments_and_keepalives_are_skipped()
    {
        var events = await Parse(": hello\n\n:\n\n: keep-alive\nevent: session\n: in between\ndata: x\n\n");
        var e = Assert.Single(events);
        Assert.Equal(new ServerSentEvent("session", "x", null), e);
    }

    [Fact]
    public async Task Crlf_and_cr_line_endings()
    {
        var events = await Parse("event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\r");
        Assert.Equal([new ServerSentEvent("a", "1", null), new ServerSentEvent("b", "2", null)], events);
    }

    [Fact]
    public async Task Default_type_field_without_colon_empty_data_and_one_space_only()
    {
        var events = await Parse("data\n\ndata:no-space\n\ndata:  two\n\n");
        Assert.Equal([new ServerSentEvent("message", "", null), new ServerSentEvent("message", "no-space", null), new ServerSentEvent("message", " two", null)], events);
    }

    [Fact]
    public async Task An_event_without_data_is_not_dispatched_and_its_type_does_not_leak()
    {
        var events = await Parse("event: session\n\ndata: x\n\n");
        Assert.Equal(new ServerSentEvent("message", "x", null), Assert.Single(events));
    }

    [Fact]
    public async Task Ids_carry_over_and_unknown_fields_and_retry_are_ignored()
    {
        var events = await Parse("id: 7\nretry: 1000\nfoo: bar\ndata: a\n\ndata: b\n\nid: 8\0x\ndata: c\n\n");
        Assert.Equal(["7", "7", "7"], events.Select(e => e.Id));
    }

    [Fact]
    public async Task An_unfinished_event_at_the_end_is_dropped()
    {
        var events = await Parse("data: complete\n\nevent: session\ndata: cut off");
        Assert.Equal("complete", Assert.Single(events).Data);
    }
}
