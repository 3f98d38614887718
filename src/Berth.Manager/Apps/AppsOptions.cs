using Berth.Core.Apps;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Apps;

/// <summary>The app proxy's addresses (<c>Apps</c> configuration section).</summary>
public sealed class AppsOptions
{
    public const string Section = "Apps";

    /// <summary><c>FIRST-LAST</c> host ports for apps of their own; empty or <c>off</c> serves apps only under <c>/proxy/{token}/</c>.</summary>
    public string? PortRange { get; set; } = AppPortRange.DefaultText;

    /// <summary>The address the app ports bind; empty: the host the manager itself listens on.</summary>
    public string? BindAddress { get; set; }

    /// <summary>
    /// A host name per app instead of a port (<c>{token}.apps.example.org</c>; needs a wildcard DNS name for it that
    /// points at the manager, and under HTTPS a wildcard certificate): each app is an origin of its own, served by
    /// the manager's own listener. Empty: apps get ports from <see cref="PortRange"/>.
    /// </summary>
    public string? HostPattern { get; set; }

    /// <summary>How long <c>open</c> waits for an on-demand service (e.g. Jupyter) to answer before it answers anyway.</summary>
    public TimeSpan ServiceStartTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks the <c>Apps</c> section on start, naming every bad setting at once.</summary>
public sealed class AppsOptionsValidator : IValidateOptions<AppsOptions>
{
    public ValidateOptionsResult Validate(string? name, AppsOptions options)
    {
        var errors = new List<string>();
        if (!AppPortRange.TryParse(options.PortRange, out _, out var rangeError)) errors.Add($"Apps:PortRange: {rangeError}");
        if (!AppHostPattern.TryParse(options.HostPattern, out _, out var hostError)) errors.Add($"Apps:HostPattern: {hostError}");
        if (options.ServiceStartTimeout <= TimeSpan.Zero) errors.Add("Apps:ServiceStartTimeout must be positive.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The parsed <see cref="AppsOptions.HostPattern"/> (null when apps get no host names of their own).</summary>
public sealed class AppHostNames(IOptions<AppsOptions> options)
{
    public AppHostPattern? Pattern { get; } =
        AppHostPattern.TryParse(options.Value.HostPattern, out var pattern, out var error) ? pattern
            : throw new OptionsValidationException(AppsOptions.Section, typeof(AppsOptions), [$"Apps:HostPattern: {error}"]);
}
