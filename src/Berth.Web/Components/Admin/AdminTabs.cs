namespace Berth.Web.Components.Admin;

/// <summary>The admin tabs in order: the address segment (/admin/SLUG) and the tab's title.</summary>
public static class AdminTabs
{
    public static readonly IReadOnlyList<(string Slug, string Title)> All =
    [
        ("users", "Users"), ("projects", "Projects"), ("resource-groups", "Resource groups"), ("presets", "Presets"),
        ("policies", "Policies"), ("agents", "Agents"), ("images", "Images"), ("sessions", "Sessions"),
    ];

    public static int IndexOf(string? slug)
    {
        for (var i = 0; i < All.Count; i++)
            if (string.Equals(All[i].Slug, slug, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
