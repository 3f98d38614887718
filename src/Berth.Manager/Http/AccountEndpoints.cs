using System.Globalization;
using Berth.Core.Contracts;
using Berth.Manager.Accounts;
using Berth.Manager.Audit;
using Berth.Manager.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Manager.Http;

public static class AccountEndpoints
{
    public static void MapAccountApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("auth").RequireAuthorization().AddEndpointFilter(RetryLaterFilter);
        auth.MapPost("/login", (LoginRequest body, HttpContext http, LoginService logins, CancellationToken ct) =>
            logins.LoginAsync(body, ClientAddress.Of(http), ct)).AllowAnonymous();
        auth.MapPost("/logout", async (HttpContext http, KeyPairService keys, CancellationToken ct) =>
        {
            await keys.LogoutAsync(Caller.From(http.User), ClientAddress.Of(http), ct);
            return TypedResults.NoContent();
        });
        auth.MapGet("/me", (HttpContext http, AccountService accounts, CancellationToken ct) =>
            accounts.GetUserAsync(Caller.From(http.User).UserId, ct));
        auth.MapGet("/keypairs", (HttpContext http, KeyPairService keys, CancellationToken ct) =>
            keys.ListAsync(Caller.From(http.User), ct));
        auth.MapDelete("/keypairs/{accessKey}", async (string accessKey, HttpContext http, KeyPairService keys, CancellationToken ct) =>
        {
            await keys.RevokeAsync(Caller.From(http.User), accessKey, ClientAddress.Of(http), ct);
            return TypedResults.NoContent();
        });
        auth.MapPost("/password", (ChangePasswordRequest body, HttpContext http, LoginService logins, CancellationToken ct) =>
            logins.ChangePasswordAsync(Caller.From(http.User), body, ClientAddress.Of(http), ct));

        var admin = app.MapGroup("/api/admin").WithTags("admin").RequireAuthorization();
        admin.MapPost("/users", async Task<Created<UserDto>> (CreateUserRequest body, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            var user = await accounts.CreateUserAsync(Caller.From(http.User), body, ct);
            return TypedResults.Created($"/api/admin/users/{user.Id}", user);
        });
        admin.MapGet("/users", (HttpContext http, AccountService accounts, CancellationToken ct) =>
            accounts.ListUsersAsync(Caller.From(http.User), ct));
        admin.MapPost("/users/{email}/deactivate", (string email, HttpContext http, UserAdminService users, CancellationToken ct) =>
            users.SetActiveAsync(Caller.From(http.User), email, active: false, ClientAddress.Of(http), ct));
        admin.MapPost("/users/{email}/activate", (string email, HttpContext http, UserAdminService users, CancellationToken ct) =>
            users.SetActiveAsync(Caller.From(http.User), email, active: true, ClientAddress.Of(http), ct));
        admin.MapDelete("/users/{email}", (string email, HttpContext http, UserAdminService users, CancellationToken ct) =>
            users.DeleteAsync(Caller.From(http.User), email, ClientAddress.Of(http), ct));
        admin.MapPost("/users/{email}/role", (string email, ChangeUserRoleRequest body, HttpContext http, UserAdminService users, CancellationToken ct) =>
            users.ChangeRoleAsync(Caller.From(http.User), email, body, ClientAddress.Of(http), ct));
        admin.MapPost("/users/{email}/password", (string email, ResetUserPasswordRequest body, HttpContext http, UserAdminService users, CancellationToken ct) =>
            users.ResetPasswordAsync(Caller.From(http.User), email, body, ClientAddress.Of(http), ct));
        admin.MapGet("/audit", (HttpContext http, AuditQuery audit, DateTimeOffset? since, string? action, string? user, int? limit, CancellationToken ct) =>
            audit.ListAsync(Caller.From(http.User), since, action, user, limit, ct));
        admin.MapPost("/projects", async Task<Created<ProjectDto>> (CreateProjectRequest body, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            var project = await accounts.CreateProjectAsync(Caller.From(http.User), body, ct);
            return TypedResults.Created($"/api/admin/projects/{project.Name}", project);
        });
        admin.MapGet("/projects", (HttpContext http, AccountService accounts, CancellationToken ct) =>
            accounts.ListProjectsAsync(Caller.From(http.User), ct));
        admin.MapPost("/projects/{name}/members", (string name, AddProjectMemberRequest body, HttpContext http, AccountService accounts, CancellationToken ct) =>
            accounts.AddMemberAsync(Caller.From(http.User), name, body, ct));
        admin.MapDelete("/projects/{name}/members/{email}", (string name, string email, HttpContext http, UserAdminService users, CancellationToken ct) =>
            users.RemoveMemberAsync(Caller.From(http.User), name, email, ClientAddress.Of(http), ct));
    }

    /// <summary>
    /// Lockouts and a busy hashing queue answer with <c>Retry-After</c>; written here rather than thrown to the
    /// exception handler, which would clear the header.
    /// </summary>
    private static async ValueTask<object?> RetryLaterFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RetryLaterException e)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(e.RetryAfter.TotalSeconds));
            context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return ProblemResponses.ToResult(e.Problem);
        }
    }
}
