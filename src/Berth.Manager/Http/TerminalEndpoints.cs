using Berth.Core.Problems;
using Berth.Manager.Auth;
using Berth.Manager.Terminals;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Manager.Http;

/// <summary>
/// The terminal of a session: a signed WebSocket for SDK and CLI (<c>/api/sessions/{session}/terminal</c>), tickets
/// for browsers, and the ticket's page and socket (<c>/terminal/{ticket}/</c>, <c>/terminal/{ticket}/ws</c>).
/// </summary>
public static class TerminalEndpoints
{
    public static void MapTerminalApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/sessions").WithTags("terminal").RequireAuthorization();
        g.MapGet("/{session}/terminal", async (string session, int? cols, int? rows, HttpContext h, TerminalService s, TerminalBridge bridge, CancellationToken ct) =>
        {
            var target = await s.ResolveAsync(Caller.From(h.User), session, ct);
            await ServeSocketAsync(h, bridge, target, cols, rows, ct);
        });
        g.MapPost("/{session}/terminal-tickets", (string session, HttpContext h, TerminalService s, CancellationToken ct) =>
            s.IssueTicketAsync(Caller.From(h.User), session, $"{h.Request.Scheme}://{h.Request.Host}{h.Request.PathBase}", ct));

        // Browsers cannot sign: the ticket in the address is the credential.
        app.MapGet("/terminal/{ticket}/ws", async (string ticket, int? cols, int? rows, HttpContext h, TerminalService s, TerminalBridge bridge, CancellationToken ct) =>
        {
            var target = await s.ResolveTicketAsync(ticket, ct);
            await ServeSocketAsync(h, bridge, target, cols, rows, ct);
        }).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/terminal/{ticket}/{file?}", async (string ticket, string? file, HttpContext h, TerminalService s, CancellationToken ct) =>
        {
            if (file is null && !h.Request.Path.Value!.EndsWith('/'))
            {
                // /terminal/{ticket} → /terminal/{ticket}/, so that the page's relative addresses resolve under it.
                h.Response.Redirect(h.Request.PathBase + TerminalService.PathOf(ticket) + "/");
                return;
            }
            if (!TerminalPage.Has(file ?? "")) throw Problem.NotFound("route-not-found", $"The terminal page has no file '{file}'.").ToException();
            // The libraries are the same for everyone; the page itself only for a valid ticket.
            if (string.IsNullOrEmpty(file)) await s.ResolveTicketAsync(ticket, ct);
            await TerminalPage.TryWriteAsync(h, file ?? "");
        }).AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>The shell starts before the upgrade is accepted, so that a refusal is still a problem+json answer.</summary>
    private static async Task ServeSocketAsync(HttpContext h, TerminalBridge bridge, TerminalTarget target, int? cols, int? rows, CancellationToken ct)
    {
        if (!h.WebSockets.IsWebSocketRequest)
            throw Problem.Invalid("upgrade", "websocket-required",
                $"The terminal of '{target.SessionName}' is a WebSocket (docs/apps.md, \"Web terminal\"); connect with an upgrade request, e.g. `berth session terminal`.").ToException();
        var terminal = await bridge.OpenAsync(target, cols ?? 0, rows ?? 0, ct);
        await bridge.AcceptAndRunAsync(h, target, terminal, ct);
    }
}
