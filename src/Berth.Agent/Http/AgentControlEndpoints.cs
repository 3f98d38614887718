using Berth.Agent.Runtime;
using Berth.Core.Auth;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Terminals;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Agent.Http;

/// <summary>
/// The control API of an agent that runs as its own process (<c>berth agent</c>): what the manager asks of it
/// directly. Every route needs the agent token; exec and logs reach only this agent's own containers.
/// </summary>
public static class AgentControlEndpoints
{
    public const string ProblemTypeBase = "https://berth.dev/problems/";

    public static WebApplication MapBerthAgentControl(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = HandleErrorAsync });
        app.UseStatusCodePages(async ctx =>
        {
            var http = ctx.HttpContext;
            if (http.Response.HasStarted || http.Response.ContentLength > 0) return;
            var status = http.Response.StatusCode;
            await ToResult(status == 404
                ? Problem.NotFound("route-not-found", $"No agent endpoint at {http.Request.Method} {http.Request.Path}.")
                : new Problem(status, "http-" + status, $"The request failed with HTTP status {status}.")).ExecuteAsync(http);
        });

        app.UseWebSockets();

        var g = app.MapGroup("/agent/v1").AddEndpointFilter<TokenFilter>();
        g.MapGet("/images/inspect", async (string? reference, AgentControl agent, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(reference))
                return ToResult(Problem.Invalid("reference", "required", "Give the image reference to inspect."));
            var info = await agent.InspectImageAsync(reference, ct);
            return info is null
                ? ToResult(Problem.NotFound("image-not-present", $"Agent {agent.AgentId} has no image '{reference}'.", "reference"))
                : Results.Json(info);
        });
        g.MapPost("/exec", async (AgentExecRequest body, AgentControl agent, CancellationToken ct) =>
        {
            if (body.Command is not { Count: > 0 } || string.IsNullOrEmpty(body.Command[0]))
                return ToResult(Problem.Invalid("command", "required", "Give the command to run."));
            return Results.Json(await agent.ExecAsync(body.ContainerId ?? "", body.Command, ct));
        });
        g.MapGet("/logs", async (string? containerId, bool? follow, HttpContext http, AgentControl agent, CancellationToken ct) =>
        {
            // Checked before the answer starts, so that a refusal is a proper problem rather than a broken stream.
            await agent.EnsureOwnedAsync(containerId ?? "", ct);
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.StartAsync(ct);
            await agent.StreamLogsAsync(containerId!, follow ?? false, new FlushingStream(http.Response.Body), ct);
        });
        g.MapPost("/commit", async (AgentCommitRequest body, AgentControl agent, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.Repository) || string.IsNullOrWhiteSpace(body.Tag))
                return ToResult(Problem.Invalid("repository", "required", "Give the repository and tag to commit as."));
            return Results.Json(await agent.CommitAsync(body.ContainerId ?? "", body.Repository, body.Tag, ct));
        });
        g.MapPost("/services/start", async (AgentStartServiceRequest body, AgentControl agent, CancellationToken ct) =>
        {
            await agent.StartServiceAsync(body.ContainerId ?? "", body.Name ?? "", body.Command ?? "", ct);
            return Results.NoContent();
        });
        g.MapDelete("/images", async (string? reference, AgentControl agent, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(reference))
                return ToResult(Problem.Invalid("reference", "required", "Give the image reference to remove."));
            await agent.RemoveImageAsync(reference, ct);
            return Results.NoContent();
        });
        g.MapGet("/ports", async (string? containerId, AgentControl agent, CancellationToken ct) =>
            Results.Json(await agent.InspectPortsAsync(containerId ?? "", ct)));
        // A terminal (TerminalProtocol over a WebSocket). The shell starts before the upgrade is accepted, so that a
        // refusal (not this agent's container) is a problem response the manager can read.
        g.MapGet("/terminal", async (string? containerId, int? cols, int? rows, HttpContext http, AgentControl agent, CancellationToken ct) =>
        {
            await agent.EnsureOwnedAsync(containerId ?? "", ct);
            if (!http.WebSockets.IsWebSocketRequest)
                return ToResult(Problem.Invalid("upgrade", "websocket-required", "The terminal is a WebSocket; connect with an upgrade request."));
            var request = new TerminalRequest(TerminalProtocol.SizeOrDefault(cols, TerminalProtocol.DefaultCols), TerminalProtocol.SizeOrDefault(rows, TerminalProtocol.DefaultRows));
            await using var terminal = await agent.OpenTerminalAsync(containerId!, request, ct);
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            await TerminalPump.RunAsync(socket, terminal, null, ct);
            return Results.Empty;
        });
        g.MapPost("/nudge", (AgentControl agent) =>
        {
            agent.Nudge();
            return Results.NoContent();
        });
        return app;
    }

    public static IResult ToResult(Problem p)
    {
        var details = new ProblemDetails { Type = ProblemTypeBase + p.Rule, Status = p.Status, Detail = p.Detail, Title = p.Rule };
        details.Extensions["rule"] = p.Rule;
        if (p.Field is not null) details.Extensions["field"] = p.Field;
        return TypedResults.Problem(details);
    }

    private static async Task HandleErrorAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var problem = error switch
        {
            BerthProblemException bpe => bpe.Problem,
            BadHttpRequestException bad => new Problem(400, "body-invalid", bad.Message, "body"),
            _ => new Problem(500, "internal-error", "The agent failed while handling the request; its log has the cause."),
        };
        context.Response.StatusCode = problem.Status;
        await ToResult(problem).ExecuteAsync(context);
    }

    private sealed class TokenFilter : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var expected = context.HttpContext.RequestServices.GetRequiredService<AgentOptions>().Token;
            if (!AgentToken.Matches(context.HttpContext.Request.Headers.Authorization, expected))
                return ToResult(new Problem(401, "agent-token-invalid", "The agent token is missing or wrong.", "authorization"));
            return await next(context);
        }
    }

    /// <summary>Log lines reach the manager as they are written, not when a buffer fills.</summary>
    private sealed class FlushingStream(Stream inner) : Stream
    {
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            await inner.WriteAsync(buffer, ct);
            await inner.FlushAsync(ct);
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous writes only");
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
