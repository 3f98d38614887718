using Berth.Core.Contracts;
using Berth.Manager.Accounts;
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
        var auth = app.MapGroup("/api/auth").WithTags("auth").RequireAuthorization();
        auth.MapPost("/login", (LoginRequest body, AccountService accounts, CancellationToken ct) => accounts.LoginAsync(body, ct))
            .AllowAnonymous();
        auth.MapPost("/logout", async (HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            await accounts.LogoutAsync(Caller.From(http.User), ct);
            return TypedResults.NoContent();
        });
        auth.MapGet("/me", (HttpContext http, AccountService accounts, CancellationToken ct) =>
            accounts.GetUserAsync(Caller.From(http.User).UserId, ct));

        var admin = app.MapGroup("/api/admin").WithTags("admin").RequireAuthorization();
        admin.MapPost("/users", async Task<Created<UserDto>> (CreateUserRequest body, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            var user = await accounts.CreateUserAsync(Caller.From(http.User), body, ct);
            return TypedResults.Created($"/api/admin/users/{user.Id}", user);
        });
        admin.MapGet("/users", (HttpContext http, AccountService accounts, CancellationToken ct) =>
            accounts.ListUsersAsync(Caller.From(http.User), ct));
        admin.MapPost("/projects", async Task<Created<ProjectDto>> (CreateProjectRequest body, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            var project = await accounts.CreateProjectAsync(Caller.From(http.User), body, ct);
            return TypedResults.Created($"/api/admin/projects/{project.Name}", project);
        });
        admin.MapGet("/projects", (HttpContext http, AccountService accounts, CancellationToken ct) =>
            accounts.ListProjectsAsync(Caller.From(http.User), ct));
        admin.MapPost("/projects/{name}/members", (string name, AddProjectMemberRequest body, HttpContext http, AccountService accounts, CancellationToken ct) =>
            accounts.AddMemberAsync(Caller.From(http.User), name, body, ct));
    }
}
