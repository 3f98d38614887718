using MudBlazor;

namespace Berth.Web.Components.Layout;

/// <summary>
/// The console's colours, light and dark. MudBlazor's default status colours (info, success, warning, error) fail
/// WCAG AA behind their contrast text (white on #2196f3 is 3.1:1), and they fill the status chips and the toasts:
/// these keep every pair at 5:1 or more (axe-core checks it in the browser tests).
/// </summary>
public static class ConsoleTheme
{
    private const string DarkText = "#1e1e1e";

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            AppbarBackground = "#0d47a1",
            Secondary = "#00796b",
            Info = "#0b63b6",
            Success = "#2e7d32",
            Warning = "#a84c00",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#90caf9",
            AppbarBackground = "#1a2433",
            Secondary = "#80cbc4",
            Info = "#90caf9",
            InfoContrastText = DarkText,
            Success = "#81c784",
            SuccessContrastText = DarkText,
            Warning = "#ffb74d",
            WarningContrastText = DarkText,
            Error = "#f28b82",
            ErrorContrastText = DarkText,
        },
    };
}
