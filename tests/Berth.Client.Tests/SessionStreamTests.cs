using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Berth.Cli.Commands;
using Berth.Core.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Client.Tests;

/// <summary>The session calls against a Kestrel fake: logs and events must arrive while the response is still open.</summary>
public sealed class SessionStreamTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private WebApplication _app = null!;
    private BerthClient _client = null!;

    private readonly Channel<string> _events = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _logs = Channel.CreateUnbounded<string>();
    private volatile SessionDto _session = SessionWaitTests.Session("PENDING");
    private volatile bool _eventsAvailable = true;
    private int _gets;
    private string? _eventsQuery, _listQuery, _accept;
    private ExecRequest? _exec;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();

        _app.MapGet("/api/events", async (HttpContext ctx) =>
        {
            _eventsQuery = ctx.Request.QueryString.Value;
            _accept = ctx.Request.Headers.Accept.ToString();
            if (!_eventsAvailable) { ctx.Response.StatusCode = 404; return; }
            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync(": connected\n\n");
            await ctx.Response.Body.FlushAsync();
            await foreach (var chunk in _events.Reader.ReadAllAsync(ctx.RequestAborted))
            {
                await ctx.Response.WriteAsync(chunk);
                await ctx.Response.Body.FlushAsync();
            }
        });
        _app.MapGet("/api/sessions/{name}/logs", async (HttpContext ctx, string name) =>
        {
            ctx.Response.ContentType = "text/plain";
            await ctx.Response.Body.FlushAsync();
            await foreach (var chunk in _logs.Reader.ReadAllAsync(ctx.RequestAborted))
            {
                await ctx.Response.WriteAsync(chunk);
                await ctx.Response.Body.FlushAsync();
            }
        });
        _app.MapGet("/api/sessions/{name}", (string name) =>
        {
            Interlocked.Increment(ref _gets);
            return name == "missing"
                ? Results.Json(new ProblemBody(null, "not found", 404, "no session named missing", "session-not-found", "session"),
                    statusCode: 404, contentType: "application/problem+json")
                : Results.Json(_session);
        });
        _app.MapGet("/api/sessions", (HttpContext ctx) =>
        {
            _listQuery = ctx.Request.QueryString.Value;
            return Results.Json(new[] { _session });
        });
        _app.MapPost("/api/sessions/{name}/exec", (ExecRequest body) =>
        {
            _exec = body;
            return Results.Json(new ExecResultDto(3, "out\n", "err\n"));
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new BerthClient(new Uri(address), new ApiKeyPair("AK", "SK"));
    }

    public async Task DisposeAsync()
    {
        _events.Writer.TryComplete();
        _logs.Writer.TryComplete();
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string EventText(SessionEventDto e) =>
        $"event: session\ndata: {JsonSerializer.Serialize(e, BerthClient.JsonOptions)}\n\n";

    private SessionEventDto Event(string status, int? exitCode = null) =>
        new(_session.Id, _session.Name, status, null, DateTimeOffset.UtcNow, exitCode);

    [Fact]
    public async Task Events_arrive_while_the_stream_is_open()
    {
        using var cts = new CancellationTokenSource(Patience);
        await using var events = _client.WatchEventsAsync("my session", cts.Token).GetAsyncEnumerator(cts.Token);

        await _events.Writer.WriteAsync(": keep-alive\n\nevent: other\ndata: {}\n\n" + EventText(Event("SCHEDULED")));
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("SCHEDULED", events.Current.Status);
        Assert.Equal(_session.Id, events.Current.SessionId);
        Assert.Equal("?session=my%20session", _eventsQuery);
        Assert.Contains("text/event-stream", _accept);

        // Split across writes, and with an exit code.
        var text = EventText(Event("TERMINATED", 0));
        await _events.Writer.WriteAsync(text[..20]);
        await _events.Writer.WriteAsync(text[20..]);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(("TERMINATED", (int?)0), (events.Current.Status, events.Current.ExitCode));

        _events.Writer.Complete();
        Assert.False(await events.MoveNextAsync());
    }

    [Fact]
    public async Task Logs_are_copied_as_they_arrive()
    {
        using var cts = new CancellationTokenSource(Patience);
        var sink = new SignallingStream();
        var copy = _client.StreamLogsAsync("s1", follow: true, sink, cts.Token);

        await _logs.Writer.WriteAsync("hello\n");
        await sink.WaitForAsync("hello\n", cts.Token);
        Assert.False(copy.IsCompleted);

        await _logs.Writer.WriteAsync("world\n");
        _logs.Writer.Complete();
        Assert.Equal(12, await copy);
        Assert.Equal("hello\nworld\n", sink.Text);
    }

    [Fact]
    public async Task Wait_follows_events_without_polling()
    {
        using var cts = new CancellationTokenSource(Patience);
        var seen = new List<string>();
        var wait = SessionWait.WaitAsync(_client, _session, s => { lock (seen) seen.Add(s.Status); }, cts.Token,
            resyncInterval: TimeSpan.FromMinutes(5));

        await WaitUntil(() => Volatile.Read(ref _gets) >= 1 && _eventsQuery is not null, cts.Token);
        _session = SessionWaitTests.Session("RUNNING");
        await _events.Writer.WriteAsync(EventText(Event("RUNNING")));

        var final = await wait;
        Assert.Equal("RUNNING", final.Status);
        Assert.Equal("RUNNING", seen[^1]);
    }

    [Fact]
    public async Task Wait_polls_when_there_is_no_event_stream()
    {
        _eventsAvailable = false;
        _session = SessionWaitTests.Session("PENDING", "batch");
        using var cts = new CancellationTokenSource(Patience);
        var wait = SessionWait.WaitAsync(_client, _session, _ => { }, cts.Token, pollInterval: TimeSpan.FromMilliseconds(20));

        await WaitUntil(() => Volatile.Read(ref _gets) >= 3, cts.Token);
        _session = SessionWaitTests.Session("RUNNING", "batch");
        await WaitUntil(() => Volatile.Read(ref _gets) >= 5, cts.Token);
        Assert.False(wait.IsCompleted);
        _session = SessionWaitTests.Session("TERMINATED", "batch", exitCode: 0, result: "success");

        var final = await wait;
        Assert.Equal(0, SessionWait.ExitCodeFor(final));
    }

    [Fact]
    public async Task Exec_list_and_errors()
    {
        var result = await _client.ExecAsync("s1", ["python", "-c", "print(1)"]);
        Assert.Equal(new ExecResultDto(3, "out\n", "err\n"), result);
        Assert.Equal(["python", "-c", "print(1)"], _exec!.Command);

        await _client.ListSessionsAsync(all: true);
        Assert.Equal("?all=true", _listQuery);
        await _client.ListSessionsAsync();
        Assert.True(string.IsNullOrEmpty(_listQuery));

        var e = await Assert.ThrowsAsync<BerthApiException>(() => _client.GetSessionAsync("missing"));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal("session", e.Field);
        Assert.Equal("session-not-found", e.Rule);
    }

    private static async Task WaitUntil(Func<bool> condition, CancellationToken ct)
    {
        while (!condition()) await Task.Delay(10, ct);
    }

    /// <summary>A write-only stream that lets a test wait for some text to have been written.</summary>
    private sealed class SignallingStream : Stream
    {
        private readonly MemoryStream _data = new();
        private readonly SemaphoreSlim _written = new(0);

        public string Text { get { lock (_data) return Encoding.UTF8.GetString(_data.ToArray()); } }

        public async Task WaitForAsync(string text, CancellationToken ct)
        {
            while (!Text.Contains(text, StringComparison.Ordinal)) await _written.WaitAsync(ct);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_data) _data.Write(buffer, offset, count);
            _written.Release();
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
