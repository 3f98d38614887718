using Berth.Core.Contracts;
using Berth.Manager.Auth;
using Berth.Manager.Idempotency;
using Berth.Manager.VFolders;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Manager.Http;

public static class VFolderEndpoints
{
    public static void MapVFolderApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/vfolders").WithTags("vfolders").RequireAuthorization();
        g.MapGet("/hosts", (VFolderService s) => s.ListHosts());
        g.MapGet("/", (HttpContext h, VFolderService s, CancellationToken ct) => s.ListAsync(Caller.From(h.User), ct));
        g.MapPost("/", async Task<Created<VFolderDto>> (CreateVFolderRequest body, HttpContext h, VFolderService s, CancellationToken ct) =>
        {
            var folder = await s.CreateAsync(Caller.From(h.User), body, ct);
            return TypedResults.Created($"/api/vfolders/{folder.Id}", folder);
        }).Idempotent<CreateVFolderRequest>("POST /api/vfolders", async (h, caller, id, ct) =>
            TypedResults.Created($"/api/vfolders/{id}", await h.RequestServices.GetRequiredService<VFolderService>().GetAsync(caller, id.ToString(), ct)));
        g.MapGet("/{folder}", (string folder, HttpContext h, VFolderService s, CancellationToken ct) =>
            s.GetAsync(Caller.From(h.User), folder, ct));
        g.MapPost("/{folder}/rename", (string folder, RenameVFolderRequest body, HttpContext h, VFolderService s, CancellationToken ct) =>
            s.RenameAsync(Caller.From(h.User), folder, body, ct));
        g.MapDelete("/{folder}", (string folder, HttpContext h, VFolderService s, CancellationToken ct) =>
            s.DeleteAsync(Caller.From(h.User), folder, ct));
        g.MapPost("/{folder}/recover", (string folder, HttpContext h, VFolderService s, CancellationToken ct) =>
            s.RecoverAsync(Caller.From(h.User), folder, ct));
        g.MapPost("/{folder}/purge", async (string folder, HttpContext h, VFolderService s, CancellationToken ct) =>
        {
            await s.PurgeAsync(Caller.From(h.User), folder, ct);
            return TypedResults.NoContent();
        });
        g.MapPost("/{folder}/clone", async Task<Accepted<VFolderDto>> (string folder, CloneVFolderRequest body, HttpContext h, VFolderService s, CancellationToken ct) =>
        {
            var clone = await s.CloneAsync(Caller.From(h.User), folder, body, ct);
            return TypedResults.Accepted($"/api/vfolders/{clone.Id}", clone);
        });
        g.MapGet("/{folder}/shares", (string folder, HttpContext h, VFolderService s, CancellationToken ct) =>
            s.ListSharesAsync(Caller.From(h.User), folder, ct));
        g.MapPost("/{folder}/shares", (string folder, ShareVFolderRequest body, HttpContext h, VFolderService s, CancellationToken ct) =>
            s.ShareAsync(Caller.From(h.User), folder, body, ct));
        g.MapDelete("/{folder}/shares/{email}", async (string folder, string email, HttpContext h, VFolderService s, CancellationToken ct) =>
        {
            await s.UnshareAsync(Caller.From(h.User), folder, email, ct);
            return TypedResults.NoContent();
        });

        var files = g.MapGroup("/{folder}/files");
        files.MapGet("/", (string folder, string? path, HttpContext h, FolderFileService s, CancellationToken ct) =>
            s.ListAsync(Caller.From(h.User), folder, path, ct));
        files.MapPost("/mkdir", async (string folder, MkdirRequest body, HttpContext h, FolderFileService s, CancellationToken ct) =>
        {
            await s.MkdirAsync(Caller.From(h.User), folder, body, ct);
            return TypedResults.NoContent();
        });
        files.MapPost("/move", async (string folder, MoveRequest body, HttpContext h, FolderFileService s, CancellationToken ct) =>
        {
            await s.MoveAsync(Caller.From(h.User), folder, body, ct);
            return TypedResults.NoContent();
        });
        files.MapPost("/delete", async (string folder, DeleteFilesRequest body, HttpContext h, FolderFileService s, CancellationToken ct) =>
        {
            await s.DeleteAsync(Caller.From(h.User), folder, body, ct);
            return TypedResults.NoContent();
        });
        files.MapPost("/upload", (string folder, UploadRequest body, HttpContext h, FolderFileService s, CancellationToken ct) =>
            s.UploadTicketAsync(Caller.From(h.User), folder, body, ct));
        files.MapPost("/download", (string folder, DownloadRequest body, HttpContext h, FolderFileService s, CancellationToken ct) =>
            s.DownloadTicketAsync(Caller.From(h.User), folder, body, ct));
    }
}
