using System.Globalization;
using Berth.Core.Problems;
using Berth.Core.Terminals;
using Berth.Manager.Apps;
using Berth.Manager.Data;
using Berth.Manager.Sessions;
using Microsoft.AspNetCore.Http;

namespace Berth.Manager.Terminals;

/// <summary>
/// The built-in <c>terminal</c> app of every session, served by the manager through the app proxy (so it gets the
/// proxy's owner-only login, its own port from the pool and the path URL like any other app): the page and its
/// scripts at the app's root, the terminal's WebSocket at <c>ws</c> next to it.
/// </summary>
public sealed class TerminalAppHandler(TerminalBridge bridge) : IAppHandler
{
    public bool Handles(AppGrant grant) => grant.Kind == SessionApps.TerminalKind;

    public async Task ServeAsync(HttpContext context, AppGrant grant, SessionEntity session, PathString path)
    {
        var name = (path.Value ?? "").TrimStart('/');
        if (name != "ws")
        {
            if (!await TerminalPage.TryWriteAsync(context, name))
                await AppProxy.WriteAsync(context, Problem.NotFound("route-not-found", $"The terminal page has no file '{name}'."));
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await AppProxy.WriteAsync(context, Problem.Invalid("upgrade", "websocket-required", "The terminal's socket is a WebSocket; connect with an upgrade request."));
            return;
        }

        var target = new TerminalTarget(session.Id, session.Name, session.AgentId!, session.ContainerId!);
        ITerminalConnection terminal;
        try
        {
            terminal = await bridge.OpenAsync(target, Size(context, "cols"), Size(context, "rows"), context.RequestAborted);
        }
        catch (BerthProblemException e)
        {
            await AppProxy.WriteAsync(context, e.Problem);
            return;
        }
        await bridge.AcceptAndRunAsync(context, target, terminal, context.RequestAborted);
    }

    private static int Size(HttpContext context, string name) =>
        int.TryParse(context.Request.Query[name], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
