namespace Berth.Web.Components.Layout;

/// <summary>
/// The theme the user picked with the switch, kept in the browser's localStorage (per browser, not per account:
/// it is about the screen in front of them). No entry means "follow the operating system".
/// </summary>
public static class ThemeChoice
{
    public const string StorageKey = "berth.theme";

    public static string Format(bool dark) => dark ? "dark" : "light";

    /// <returns>True for dark, false for light, null for no (or an unknown) choice.</returns>
    public static bool? Parse(string? stored) => stored switch
    {
        "dark" => true,
        "light" => false,
        _ => null,
    };
}
