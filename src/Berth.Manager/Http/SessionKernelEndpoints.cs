using System.Text.Json;
using System.Threading.Channels;
using Berth.Core.Contracts;
using Berth.Manager.Auth;
using Berth.Manager.Idle;
using Berth.Manager.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Manager.Http;

/// <summary><c>/api/sessions/{session}/logs</c> and <c>/usage</c>: what a session's containers print and use.</summary>
public static class SessionKernelEndpoints
{
    public static void MapSessionKernelApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/sessions").WithTags("sessions").RequireAuthorization();
        g.MapGet("/{session}/logs", WriteLogsAsync)
            .WithSummary("A session container's output (text/plain)")
            .WithDescription("kernel: main1 (default), sub1, … in a cluster session. follow=true: keeps streaming new output until the container's output ends. " +
                             "After the session ended, the main container's stored tail; a sub-kernel's output is gone with its container.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        g.MapGet("/{session}/usage", ReadUsageAsync)
            .WithSummary("A running session's latest resource use")
            .WithDescription("CPU %, memory, GPU % and network bytes per kernel and for the session, as its agents last measured them. " +
                             "follow=true: a server-sent event stream (text/event-stream) with one `usage` event now and one per new measurement.")
            .Produces<SessionUsageDto>(StatusCodes.Status200OK, "application/json", "text/event-stream");
    }

    private static async Task WriteLogsAsync(string session, bool? follow, string? kernel, HttpContext h, SessionService s,
        SessionKernels kernels, CancellationToken ct)
    {
        // Resolve first so that a bad name is a proper problem response, not a broken stream.
        var found = await s.FindAsync(Caller.From(h.User), session, ct);
        SessionKernels.CheckKernel(found, kernel);
        h.Response.ContentType = "text/plain; charset=utf-8";
        await h.Response.StartAsync(ct);
        await kernels.WriteLogsAsync(found, kernel, follow ?? false, h.Response.Body, ct);
    }

    private static async Task<IResult> ReadUsageAsync(string session, bool? follow, HttpContext h, SessionService s, SessionKernels kernels,
        SessionUtilization utilization, CancellationToken ct)
    {
        var found = await s.FindAsync(Caller.From(h.User), session, ct);
        if (follow != true) return TypedResults.Ok(await kernels.UsageAsync(found, ct));
        h.Response.ContentType = "text/event-stream";
        h.Response.Headers.CacheControl = "no-store";
        // Subscribed before the first event goes out, so no measurement between the two is missed.
        var changed = Channel.CreateBounded<Guid>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        void OnRecorded(Guid id)
        {
            if (id == found.Id) changed.Writer.TryWrite(id);
        }
        utilization.Recorded += OnRecorded;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var usage = await kernels.UsageAsync(found, ct);
                await h.Response.WriteAsync($"event: usage\ndata: {JsonSerializer.Serialize(usage, JsonSerializerOptions.Web)}\n\n", ct);
                await h.Response.Body.FlushAsync(ct);
                while (true)
                {
                    using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    keepAlive.CancelAfter(TimeSpan.FromSeconds(15));
                    try
                    {
                        await changed.Reader.ReadAsync(keepAlive.Token);
                        break;
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        await h.Response.WriteAsync(": keep-alive\n\n", ct);
                        await h.Response.Body.FlushAsync(ct);
                    }
                }
            }
        }
        catch (OperationCanceledException) { }
        finally { utilization.Recorded -= OnRecorded; }
        // The stream was the answer; nothing more is written.
        return Results.Empty;
    }
}
