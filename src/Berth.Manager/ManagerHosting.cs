using Berth.Manager.Http.OpenApi;
using Berth.Core.Contracts;
using Berth.Core.Agents;
using Berth.Manager.Accounts;
using Berth.Manager.Agents;
using Berth.Manager.Apps;
using Berth.Manager.Sessions;
using Berth.Manager.Scheduling;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Berth.Manager.Http;
using Berth.Manager.VFolders;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Manager;

public static class ManagerHosting
{
    public static IHostApplicationBuilder AddBerthManager(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().Bind(builder.Configuration.GetSection(DatabaseOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ManagerOptions>().Bind(builder.Configuration.GetSection(ManagerOptions.Section));

        var db = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (db.Provider == "postgres")
        {
            services.AddDbContext<PostgresBerthDbContext>(o => o.UseNpgsql(WithPoolLimit(db.ConnectionString)));
            services.AddScoped<BerthDbContext>(sp => sp.GetRequiredService<PostgresBerthDbContext>());
        }
        else
        {
            services.AddDbContext<SqliteBerthDbContext>(o => o.UseSqlite(db.ConnectionString));
            services.AddScoped<BerthDbContext>(sp => sp.GetRequiredService<SqliteBerthDbContext>());
        }

        services.TryAddTimeProvider();
        services.AddSingleton<IPasswordHasher<UserEntity>, PasswordHasher<UserEntity>>();
        services.AddScoped<AccountService>();
        services.AddAccountSecurity(builder.Configuration);
        services.AddScoped<AdminBootstrap>();
        services.AddScoped<FolderAccessQuery>();
        services.AddScoped<VFolderService>();
        services.AddScoped<FolderFileService>();
        services.AddSingleton<Berth.Storage.Tokens.IStorageGrantCheck, StorageTicketAccessCheck>();
        services.AddSingleton<CloneSignal>();
        services.AddHostedService<CloneLoop>();
        services.AddSingleton<SessionEventHub>();
        services.AddSingleton<SchedulerSignal>();
        services.AddSingleton<SessionWriteGate>();
        services.AddScoped<SessionTransitions>();
        services.AddScoped<ImageCatalog>();
        services.AddScoped<SessionService>();
        services.AddScoped<Idempotency.IdempotencyScope>();
        services.AddSingleton<Idempotency.IdempotencyInFlight>();
        services.AddScoped<SessionKernels>();
        services.AddScoped<LaunchHistoryService>();
        services.AddSingleton<SessionCommits>();
        services.AddScoped<ResourceAdminService>();
        services.AddScoped<PresetCheck>();
        services.AddScoped<RemainingResources>();
        services.AddScoped<MyUsage>();
        services.AddHostedService<SessionScheduler>();
        services.AddSingleton<ManagerAgentChannel>();
        services.AddSingleton<IAgentChannel>(sp => sp.GetRequiredService<ManagerAgentChannel>());
        services.AddSingleton<AgentDirectory>();
        services.AddSingleton<IAgentDirectory>(sp => sp.GetRequiredService<AgentDirectory>());
        services.AddHostedService<AgentLivenessLoop>();
        services.AddHttpForwarder();
        services.AddSingleton<Apps.SessionTrafficMeter>();
        services.AddOptions<Idle.IdleCheckOptions>().Bind(builder.Configuration.GetSection(Idle.IdleCheckOptions.Section))
            .Validate(o => o.Interval > TimeSpan.Zero, "IdleChecks:Interval must be positive.").ValidateOnStart();
        services.AddSingleton<Idle.SessionUtilization>();
        services.AddScoped<Idle.IdleChecks>();
        services.AddHostedService<Idle.IdleCheckLoop>();
        services.AddSingleton<Apps.AppProxy>();
        services.AddOptions<Apps.AppTokenOptions>().Bind(builder.Configuration.GetSection(ManagerOptions.Section));
        services.AddSingleton<Apps.AppTokens>();
        services.AddSingleton<Apps.AppUpstreamCredentials>();
        services.AddOptions<Apps.AppsOptions>().Bind(builder.Configuration.GetSection(Apps.AppsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Apps.AppsOptions>, Apps.AppsOptionsValidator>();
        services.AddSingleton<Apps.AppHostNames>();
        services.AddSingleton<Apps.AppListeners>();
        services.AddHostedService(sp => sp.GetRequiredService<Apps.AppListeners>());
        services.AddScoped<Apps.AppService>();
        services.AddSingleton<Terminals.TerminalBridge>();
        services.AddSingleton<Apps.IAppHandler, Terminals.TerminalAppHandler>();
        services.AddSingleton<Terminals.TerminalTickets>();
        services.AddScoped<Terminals.TerminalService>();

        services.AddAuthentication(HmacAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HmacAuthenticationHandler>(HmacAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddProblemDetails();
        // Let malformed bodies reach the exception handler, which names the rule, instead of a bare 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddBerthOpenApi();
        return builder;
    }

    /// <summary>
    /// Npgsql's default pool (100) lets one manager take every connection PostgreSQL has; with several
    /// managers a burst of requests then fails. Unless the connection string says otherwise, each manager
    /// keeps to 30 and further requests wait their turn.
    /// </summary>
    public static string WithPoolLimit(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Pool Size", StringComparison.OrdinalIgnoreCase)) builder.MaxPoolSize = 30;
        return builder.ConnectionString;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }

    /// <summary>Brings the schema up to date and creates the first admin; runs before the server accepts requests.</summary>
    public static async Task InitializeBerthManagerAsync(this WebApplication app, CancellationToken ct = default)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BerthDbContext>();
        await db.Database.MigrateAsync(ct);
        // Fails the start, not the first login, when the keypair encryption key is missing or malformed.
        scope.ServiceProvider.GetRequiredService<SecretKeyProtector>();
        await scope.ServiceProvider.GetRequiredService<AdminBootstrap>().RunAsync(ct);
        await ResourceGroups.EnsureDefaultAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>(), ct);
        var log = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("Berth.Manager.Images");
        try
        {
            var builtins = scope.ServiceProvider.GetRequiredService<IOptions<ManagerOptions>>().Value.BuiltinImages;
            var registered = await scope.ServiceProvider.GetRequiredService<ImageCatalog>().RegisterBuiltinsAsync(builtins, ct);
            ImageLog.Registered(log, registered.Count == 0 ? "none (build them with `berth image build minimal|python`)" : string.Join(", ", registered));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Without Docker the server still serves accounts and folders; sessions wait for an agent.
            ImageLog.Unavailable(log, e);
        }
    }

    public static WebApplication MapBerthManager(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ProblemResponses.HandleAsync });
        // Inside the catch-all: body caps, and client errors answered (and logged at Debug) before they look like failures.
        app.UseMiddleware<RequestEdge>();
        // Unmatched routes, and statuses the framework sets without a body, still answer in problem+json.
        app.UseStatusCodePages(ctx => ProblemResponses.StatusOnlyAsync(ctx.HttpContext));
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAppHostNames(); // apps on host names of their own (Apps:HostPattern): before the API's authorization
        app.UseAuthorization();
        app.MapBerthOpenApi();
        app.MapGet("/health", async (BerthDbContext db, CancellationToken ct) =>
        {
            var ok = await db.Database.CanConnectAsync(ct);
            return ok
                ? Results.Ok(new HealthDto("ok", Version, db.ProviderName))
                : Results.Json(new HealthDto("database-unreachable", Version, db.ProviderName), statusCode: 503);
        }).AllowAnonymous().WithTags("health");
        // Every field of every request passes the shared shape rules (Core's RequestShape) before its endpoint runs.
        var api = app.MapGroup("").AddEndpointFilterFactory(RequestShapeFilter.Create);
        api.MapAccountApi();
        api.MapVFolderApi();
        api.MapSessionApi();
        api.MapSessionKernelApi();
        api.MapLaunchHistoryApi();
        api.MapResourceApi();
        api.MapAgentApi();
        api.MapAppApi();
        api.MapTerminalApi();
        return app;
    }

    public static string Version { get; } =
        typeof(ManagerHosting).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
