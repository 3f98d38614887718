using Berth.Web.Auth;
using Berth.Web.Components;
using Berth.Web.Downloads;
using Berth.Web.Live;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;

namespace Berth.Web;

/// <summary>
/// Adds the web console to a host: <c>berth server</c> (beside the manager, at /) or <c>berth web</c> (alone,
/// in front of a remote manager). Either way it reaches the manager only over HTTP through Berth.Client.
/// </summary>
public static class WebHosting
{
    public static WebApplicationBuilder AddBerthWeb(this WebApplicationBuilder builder, WebOptions options)
    {
        Directory.CreateDirectory(options.DataDirectory);
        File.SetUnixFileMode(options.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Static files (MudBlazor's, the framework's) come from the build's manifest when not published.
        builder.WebHost.UseStaticWebAssets();

        var services = builder.Services;
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        // The key ring outlives restarts, so cookies (and the vault's entries) stay readable: nobody is signed out.
        services.AddDataProtection()
            .SetApplicationName("berth-web")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "keys")));
        services.AddSingleton<KeyPairVault>();
        services.AddSingleton<ManagerConnection>();
        services.AddScoped<ConsoleUser>();
        services.AddScoped<SessionEventFeed>();
        services.AddScoped<SessionNotifications>();
        services.AddScoped<CommitNotices>();

        services.AddAuthentication()
            .AddCookie(ConsoleAuth.Scheme, o =>
            {
                o.Cookie.Name = ConsoleAuth.CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax;
                o.LoginPath = ConsoleAuth.SignInPath;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                // A keypair revoked elsewhere (sign-out in another tab, password change) ends the cookie too.
                o.Events.OnValidatePrincipal = ctx =>
                {
                    var vault = ctx.HttpContext.RequestServices.GetRequiredService<KeyPairVault>();
                    if (vault.Find(ctx.Principal?.FindFirst(ConsoleAuth.HandleClaim)?.Value) is null) ctx.RejectPrincipal();
                    return Task.CompletedTask;
                };
            });
        services.AddAuthorizationBuilder().AddPolicy(ConsoleAuth.Policy, p => p
            .AddAuthenticationSchemes(ConsoleAuth.Scheme)
            .RequireAuthenticatedUser());
        services.AddCascadingAuthenticationState();
        services.AddAntiforgery(o => o.Cookie.Name = "berth.console.af");

        services.AddRazorComponents().AddInteractiveServerComponents();
        // Toasts at the bottom, where they never cover the app bar or the detail panel's buttons.
        services.AddMudServices(o => o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft);
        return builder;
    }

    /// <summary>Maps the console; call after the manager's middleware (authentication, authorization) is in place.</summary>
    public static WebApplication MapBerthWeb(this WebApplication app)
    {
        app.UseMiddleware<ConsoleUserMiddleware>();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapConsoleSignOut();
        app.MapConsoleLogsDownload();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
