using MudBlazor;

namespace Berth.Web.Components.Layout;

/// <summary>The console's colours, light and dark; the dark palette keeps text contrast at WCAG AA.</summary>
public static class ConsoleTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            AppbarBackground = "#0d47a1",
            Secondary = "#00796b",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#90caf9",
            AppbarBackground = "#1a2433",
            Secondary = "#80cbc4",
        },
    };
}
