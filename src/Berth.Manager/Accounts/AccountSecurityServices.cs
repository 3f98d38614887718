using Berth.Manager.Audit;
using Berth.Manager.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Accounts;

/// <summary>Login throttling, keypair encryption, replay protection and the audit log, with their validated options.</summary>
public static class AccountSecurityServices
{
    public static IServiceCollection AddAccountSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LoginOptions>().Bind(configuration.GetSection(LoginOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<LoginOptions>>(new RuleValidator<LoginOptions>(LoginOptions.Check));
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>>(new RuleValidator<AuthOptions>(AuthOptions.Check));
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section))
            .Validate(o => o.Retention > TimeSpan.Zero && o.PruneInterval > TimeSpan.Zero, "Audit:Retention and Audit:PruneInterval must be positive.")
            .ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<PasswordHashGate>();
        services.AddSingleton<ReplayGuard>();
        services.AddSingleton<SecretKeyProtector>();
        services.AddSingleton<AuditLog>();
        services.AddScoped<AuditQuery>();
        services.AddScoped<LoginService>();
        services.AddScoped<KeyPairService>();
        services.AddScoped<UserAdminService>();
        return services;
    }
}

/// <summary>Runs an options class's own consistency rules and reports every broken one by its setting name.</summary>
internal sealed class RuleValidator<T>(Func<T, IEnumerable<string>> rules) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = rules(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
