using System.Globalization;
using Berth.Core.Contracts;
using MudBlazor;

namespace Berth.Web.Components.Sessions;

/// <summary>How the app launcher shows one of a session's apps (<see cref="AppDto"/>, as <c>GET /api/sessions/{s}/apps</c> lists them).</summary>
/// <param name="App">The app as the API lists it; <see cref="AppDto.Name"/> is what the launcher opens.</param>
/// <param name="Title">The tile's visible name, also its accessible name.</param>
public sealed record AppTile(AppDto App, string Title, string Description, string Icon)
{
    /// <summary>The API's kind of the built-in terminal (the manager's <c>SessionApps.TerminalKind</c>).</summary>
    public const string TerminalKind = "terminal";

    /// <summary>The manager refuses a public terminal (<c>app-public-not-allowed</c>): a shell is for its owner only.</summary>
    public bool CanBePublic => App.Kind != TerminalKind;

    public static AppTile For(AppDto app)
    {
        var port = app.ContainerPort.ToString(CultureInfo.InvariantCulture);
        return app switch
        {
            { Kind: TerminalKind } => new(app, "Terminal", "A shell in the session, in the browser (tmux when the image has it).",
                Icons.Material.Filled.Terminal),
            { Name: "jupyter" } => new(app, "Jupyter Notebook", $"Notebooks on container port {port}; started the first time it is opened.",
                Icons.Material.Filled.MenuBook),
            { Kind: "preopen" } => new(app, "Port " + port, $"The session's preopened container port {port} ({app.Protocol}).",
                Icons.Material.Filled.Lan),
            _ => new(app, app.Name, $"The image's {app.Name} service on container port {port} ({app.Protocol})."
                + (app.Command is null ? "" : " Started the first time it is opened."), Icons.Material.Filled.Apps),
        };
    }

    /// <summary>Image services first (Jupyter among them), then preopened ports by number, the terminal last — the API's own order otherwise.</summary>
    public static IReadOnlyList<AppTile> ForAll(IEnumerable<AppDto> apps) =>
        apps.Select(For).OrderBy(t => t.App.Kind switch { "service" => 0, "preopen" => 1, _ => 2 }).ThenBy(t => t.App.ContainerPort).ToList();
}
