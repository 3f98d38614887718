using System.Net;
using Berth.Agent;
using Berth.Agent.Http;
using Berth.Agent.Runtime;
using Berth.Core.Agents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Cli.Hosting;

/// <summary>
/// `berth agent`: one node's agent as its own process. It syncs with the manager over HTTP
/// (<see cref="HttpAgentChannel"/>), runs the same reconciler as the agent inside `berth server`, and serves
/// the control API (<c>/agent/v1</c>) the manager calls for exec, logs, image inspection and nudges.
/// Settings come from BERTH_-prefixed environment variables (e.g. <c>BERTH_Agent__Token</c>) under the flags.
/// </summary>
public static partial class AgentHost
{
    public const string DefaultListen = "127.0.0.1:6010";

    public static WebApplication Build(string listen, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:Id"] = Environment.MachineName,
            ["Agent:ScratchRoot"] = Path.GetFullPath(Path.Combine(".berth-agent", "scratch")),
            ["Agent:ControlUrl"] = DefaultControlUrl(listen),
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        });
        builder.Configuration.AddEnvironmentVariables("BERTH_");
        if (Environment.GetEnvironmentVariable("BERTH_AGENT_TOKEN") is { Length: > 0 } token)
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Agent:Token"] = token });
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.WebHost.UseUrls("http://" + listen);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 4 * 1024 * 1024);

        builder.AddBerthAgent();
        builder.Services.AddOptions<AgentOptions>()
            .Validate(o => Uri.TryCreate(o.ManagerUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https",
                "Give the manager's URL: berth agent --manager http://HOST:PORT.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Token),
                "Give the agent token: berth agent --token (or BERTH_AGENT_TOKEN); the server keeps it in <data>/agent-token.");
        builder.Services.AddSingleton<IAgentChannel>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
            return new HttpAgentChannel(new Uri(o.ManagerUrl!), o.Token!);
        });

        var app = builder.Build();
        app.MapBerthAgentControl();
        return app;
    }

    public static async Task<int> RunAsync(string listen, IReadOnlyDictionary<string, string?> overrides, CancellationToken ct)
    {
        await using var app = Build(listen, overrides);
        try
        {
            await app.StartAsync(ct);
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("error: " + string.Join(" ", e.Failures));
            return BerthCli.ExitUsage;
        }
        var o = app.Services.GetRequiredService<AgentOptions>();
        Started(app.Logger, o.Id, o.ManagerUrl!, o.ControlUrl ?? "", o.ResourceGroup);
        await app.WaitForShutdownAsync(ct);
        return 0;
    }

    /// <summary>Where the manager reaches a listener on HOST:PORT; a wildcard host is replaced by this machine's name.</summary>
    public static string DefaultControlUrl(string listen)
    {
        var colon = listen.LastIndexOf(':');
        var host = colon < 0 ? listen : listen[..colon];
        var port = colon < 0 ? "" : listen[colon..];
        if (host is "" or "0.0.0.0" or "[::]" or "::" or "*" or "+") host = Dns.GetHostName();
        return $"http://{host}{port}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} syncs with {Manager}; the manager reaches it at {ControlUrl}; resource group {Group}.")]
    private static partial void Started(ILogger log, string agentId, string manager, string controlUrl, string group);
}
