using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Berth.Web.Components.Launcher;

/// <summary>
/// The launcher's state as URL query parameters, so a form can be bookmarked or shared. Only what the form holds
/// travels (no environment variables, hence no secrets); mounts are <c>folder</c> or <c>folder:path</c>, repeated.
/// </summary>
public static class LauncherQuery
{
    public static string ToQueryString(LauncherForm f)
    {
        var pairs = new List<KeyValuePair<string, string?>>
        {
            new("step", f.Step.ToString(CultureInfo.InvariantCulture)), new("type", f.Type),
        };
        void Add(string key, string value) { if (value.Length > 0) pairs.Add(new(key, value)); }
        Add("name", f.Name);
        if (f.IsBatch) Add("cmd", f.StartupCommand);
        Add("image", f.Image);
        Add("cpu", f.Cpu);
        Add("mem", f.Memory);
        Add("shmem", f.Shmem);
        Add("gpu", f.Gpu);
        foreach (var m in f.Mounts) pairs.Add(new("mount", m.Path.Length == 0 ? m.Folder : m.Folder + ":" + m.Path));
        Add("ports", f.Ports);
        return QueryString.Create(pairs).ToUriComponent();
    }

    public static LauncherForm Parse(string query)
    {
        var q = QueryHelpers.ParseQuery(query);
        string Get(string key) => q.TryGetValue(key, out var v) ? v.ToString() : "";
        var form = new LauncherForm
        {
            Type = Get("type") == "batch" ? "batch" : "interactive", Name = Get("name"), StartupCommand = Get("cmd"),
            Image = Get("image"), Cpu = Get("cpu"), Memory = Get("mem"), Shmem = Get("shmem"), Gpu = Get("gpu"), Ports = Get("ports"),
        };
        if (int.TryParse(Get("step"), NumberStyles.None, CultureInfo.InvariantCulture, out var step) && step is >= 1 and <= LauncherForm.ReviewStep)
            form.Step = step;
        if (q.TryGetValue("mount", out var mounts))
            foreach (var m in mounts)
            {
                if (string.IsNullOrEmpty(m)) continue;
                // Folder names have no ':' (VFolderNameRules), so the first one separates the path.
                var colon = m.IndexOf(':', StringComparison.Ordinal);
                var folder = colon < 0 ? m : m[..colon];
                if (form.MountOf(folder) is null) form.Mounts.Add(new MountChoice(folder) { Path = colon < 0 ? "" : m[(colon + 1)..] });
            }
        return form;
    }
}
