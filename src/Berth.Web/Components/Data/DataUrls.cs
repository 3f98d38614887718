namespace Berth.Web.Components.Data;

/// <summary>The console's own addresses for folders, shared by the Data page, the explorer and the launcher.</summary>
public static class DataUrls
{
    /// <summary>The folder explorer at <paramref name="path"/> ("" or null for the folder's root).</summary>
    public static string Explorer(Guid folderId, string? path = null) =>
        string.IsNullOrEmpty(path) ? $"/data/{folderId}" : $"/data/{folderId}?path={Uri.EscapeDataString(path)}";
}
