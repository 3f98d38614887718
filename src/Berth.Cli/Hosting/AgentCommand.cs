using System.CommandLine;
using System.Globalization;
using Berth.Core.Units;

namespace Berth.Cli.Hosting;

/// <summary><c>berth agent</c>: runs this node's agent against a manager elsewhere.</summary>
public static class AgentCommand
{
    public static Command Build()
    {
        var manager = new Option<string>("--manager") { Description = "The manager's URL, e.g. http://manager:8090 (or BERTH_Agent__ManagerUrl)." };
        var token = new Option<string>("--token") { Description = "The agent token (the server's <data>/agent-token); BERTH_AGENT_TOKEN keeps it out of the process list." };
        var id = new Option<string>("--id") { Description = "This agent's stable id; its containers are labelled with it (default: the host name)." };
        var group = new Option<string>("--resource-group") { Description = "The resource group this node belongs to (default: default)." };
        var cpu = new Option<string>("--cpu") { Description = "CPU cores to offer (default: all of this node's)." };
        var mem = new Option<string>("--mem") { Description = "Memory to offer, e.g. 8g (default: all of this node's)." };
        var listen = new Option<string>("--listen")
        {
            Description = "Address and port of the control API the manager calls.",
            DefaultValueFactory = _ => AgentHost.DefaultListen,
        };
        var controlUrl = new Option<string>("--control-url") { Description = "The URL the manager reaches the control API at (default: http://<listen>)." };
        var scratch = new Option<string>("--scratch") { Description = "Directory for the sessions' home directories (default: ./.berth-agent/scratch)." };
        var volume = new Option<string[]>("--volume")
        {
            Description = "HOST=DIR: storage host HOST's folders are at DIR on this node (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("agent", "Run this node's agent: it starts the sessions the manager places here.")
        {
            manager, token, id, group, cpu, mem, listen, controlUrl, scratch, volume,
        };
        command.SetAction(async (result, ct) =>
        {
            var overrides = new Dictionary<string, string?>();
            void Set(string key, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value)) overrides[key] = value.Trim();
            }
            Set("Agent:ManagerUrl", result.GetValue(manager));
            Set("Agent:Token", result.GetValue(token));
            Set("Agent:Id", result.GetValue(id));
            Set("Agent:ResourceGroup", result.GetValue(group));
            Set("Agent:ScratchRoot", result.GetValue(scratch) is { Length: > 0 } s ? Path.GetFullPath(s) : null);
            var address = result.GetValue(listen)!;
            Set("Agent:ControlUrl", result.GetValue(controlUrl) ?? AgentHost.DefaultControlUrl(address));
            if (result.GetValue(cpu) is { Length: > 0 } c)
            {
                if (!decimal.TryParse(c, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cores) || cores <= 0)
                    return Usage($"--cpu '{c}' is not a positive number of cores.");
                Set("Agent:Cpu", cores.ToString(CultureInfo.InvariantCulture));
            }
            if (result.GetValue(mem) is { Length: > 0 } m)
            {
                if (!ByteSize.TryParse(m, out var bytes) || bytes <= 0)
                    return Usage($"--mem '{m}' is not a size; write e.g. 8g or 512m.");
                Set("Agent:MemoryBytes", bytes.ToString(CultureInfo.InvariantCulture));
            }
            foreach (var v in result.GetValue(volume) ?? [])
            {
                var eq = v.IndexOf('=');
                if (eq <= 0 || eq == v.Length - 1) return Usage($"--volume '{v}': write HOST=DIR, e.g. --volume local=/srv/berth/volumes/local.");
                Set($"Agent:VolumeMounts:{v[..eq]}", Path.GetFullPath(v[(eq + 1)..]));
            }
            return await AgentHost.RunAsync(address, overrides, ct);
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return BerthCli.ExitUsage;
    }
}
