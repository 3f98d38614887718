using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Berth.Web.Components.Launcher;

/// <summary>
/// The launcher's state as URL query parameters, so a form can be bookmarked or shared. Mounts are <c>folder</c> or
/// <c>folder:path</c>, repeated; variables <c>env=NAME=VALUE</c>, repeated — except those whose names look secret
/// (<see cref="EnvRow.LooksSecret"/>, the launch history's rule): only their name travels, so a link never carries a secret.
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
        if (f.IsBatch)
        {
            Add("cmd", f.StartupCommand);
            Add("startsAt", f.StartsAt);
            Add("maxRun", f.MaxRunSeconds);
        }
        Add("owner", f.OwnerEmail);
        Add("image", f.Image);
        Add("group", f.ResourceGroup);
        Add("preset", f.Preset);
        Add("cpu", f.Cpu);
        Add("mem", f.Memory);
        Add("shmem", f.Shmem);
        Add("gpu", f.Gpu);
        if (f.Count != "1") Add("count", f.Count);
        if (f.ClusterMode != LauncherForm.SingleNode) Add("clusterMode", f.ClusterMode);
        if (f.ClusterSize != "1") Add("clusterSize", f.ClusterSize);
        Add("threads", f.HpcThreads);
        Add("agent", f.AssignAgent);
        foreach (var e in f.Environment.Where(e => e.Name.Length > 0))
            pairs.Add(new("env", e.LooksSecret ? e.Name : e.Name + "=" + e.Value));
        foreach (var m in f.Mounts) pairs.Add(new("mount", m.Path.Length == 0 ? m.Folder : m.Folder + ":" + m.Path));
        Add("ports", f.Ports);
        return QueryString.Create(pairs).ToUriComponent();
    }

    public static LauncherForm Parse(string query)
    {
        var q = QueryHelpers.ParseQuery(query);
        string Get(string key) => q.TryGetValue(key, out var v) ? v.ToString() : "";
        string Or(string key, string fallback) => Get(key) is { Length: > 0 } v ? v : fallback;
        var form = new LauncherForm
        {
            Type = Get("type") == "batch" ? "batch" : "interactive", Name = Get("name"), StartupCommand = Get("cmd"),
            StartsAt = Get("startsAt"), MaxRunSeconds = Get("maxRun"), OwnerEmail = Get("owner"),
            Image = Get("image"), ResourceGroup = Get("group"), Preset = Get("preset"),
            Cpu = Get("cpu"), Memory = Get("mem"), Shmem = Get("shmem"), Gpu = Get("gpu"),
            Count = Or("count", "1"), ClusterMode = Or("clusterMode", LauncherForm.SingleNode), ClusterSize = Or("clusterSize", "1"),
            HpcThreads = Get("threads"), AssignAgent = Get("agent"), Ports = Get("ports"),
        };
        if (int.TryParse(Get("step"), NumberStyles.None, CultureInfo.InvariantCulture, out var step) && step is >= 1 and <= LauncherForm.ReviewStep)
            form.Step = step;
        foreach (var e in Values(q, "env"))
        {
            var eq = e.IndexOf('=', StringComparison.Ordinal);
            var row = new EnvRow { Name = eq < 0 ? e : e[..eq] };
            // A secret-looking value in a hand-made link is dropped too: it must not reach the form, the history or the next URL.
            if (eq >= 0 && !row.LooksSecret) row.Value = e[(eq + 1)..];
            form.Environment.Add(row);
        }
        foreach (var m in Values(q, "mount"))
        {
            // Folder names have no ':' (VFolderNameRules), so the first one separates the path.
            var colon = m.IndexOf(':', StringComparison.Ordinal);
            var folder = colon < 0 ? m : m[..colon];
            if (form.MountOf(folder) is null) form.Mounts.Add(new MountChoice(folder) { Path = colon < 0 ? "" : m[(colon + 1)..] });
        }
        return form;
    }

    private static IEnumerable<string> Values(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> q, string key) =>
        q.TryGetValue(key, out var values) ? values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!) : [];
}
