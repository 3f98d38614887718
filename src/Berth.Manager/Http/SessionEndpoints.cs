using System.Text.Json;
using Berth.Core.Contracts;
using Berth.Manager.Auth;
using Berth.Manager.Idempotency;
using Berth.Manager.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Manager.Http;

public static class SessionEndpoints
{
    public static void MapSessionApi(this IEndpointRouteBuilder app)
    {
        var images = app.MapGroup("/api").WithTags("images").RequireAuthorization();
        images.MapGet("/images", (HttpContext h, ImageCatalog c, CancellationToken ct) => c.ListAsync(Caller.From(h.User), ct));
        images.MapDelete("/images/{name}", (string name, HttpContext h, ImageCatalog c, CancellationToken ct) => c.DeleteAsync(Caller.From(h.User), name, ct));
        images.MapPost("/admin/images/import", async Task<Created<ImageDto>> (ImportImageRequest body, HttpContext h, ImageCatalog c, CancellationToken ct) =>
        {
            var image = await c.ImportAsync(Caller.From(h.User), body, ct);
            return TypedResults.Created($"/api/images/{image.Id}", image);
        });

        var g = app.MapGroup("/api/sessions").WithTags("sessions").RequireAuthorization();
        g.MapPost("/", async Task<Created<SessionDto>> (CreateSessionRequest body, HttpContext h, SessionService s, LaunchHistoryService history, CancellationToken ct) =>
        {
            var session = await s.CreateAsync(Caller.From(h.User), body, ct);
            // Only a launch that succeeded is worth repeating; the history is the caller's, also when launching for someone else.
            await history.RecordAsync(Caller.From(h.User), body, session.Name, ct);
            return TypedResults.Created($"/api/sessions/{session.Id}", session);
        }).Idempotent<CreateSessionRequest>("POST /api/sessions", async (h, caller, id, ct) =>
            TypedResults.Created($"/api/sessions/{id}", await h.RequestServices.GetRequiredService<SessionService>().GetAsync(caller, id.ToString(), ct)));
        // everyone=true (admins): the sessions of every user they outrank too, with their owners (the console's admin view).
        g.MapGet("/", (bool? all, bool? everyone, HttpContext h, SessionService s, CancellationToken ct) =>
            s.ListAsync(Caller.From(h.User), all ?? false, ct, everyone ?? false));
        g.MapGet("/{session}", (string session, HttpContext h, SessionService s, CancellationToken ct) => s.GetAsync(Caller.From(h.User), session, ct));
        g.MapDelete("/{session}", (string session, bool? force, HttpContext h, SessionService s, CancellationToken ct) =>
            s.DestroyAsync(Caller.From(h.User), session, force ?? false, ct));
        g.MapPost("/{session}/rename", (string session, RenameSessionRequest body, HttpContext h, SessionService s, CancellationToken ct) =>
            s.RenameAsync(Caller.From(h.User), session, body, ct));
        // Waits for the commit (seconds, more for large changes) and answers 201 with the new catalog entry.
        g.MapPost("/{session}/commit", async Task<Created<ImageDto>> (string session, CommitSessionRequest body, HttpContext h, SessionService s, CancellationToken ct) =>
        {
            var image = await s.CommitAsync(Caller.From(h.User), session, body, ct);
            return TypedResults.Created($"/api/images/{image.Id}", image);
        });
        g.MapPost("/{session}/keep-alive", (string session, KeepAliveRequest? body, HttpContext h, SessionService s, CancellationToken ct) =>
            s.KeepAliveAsync(Caller.From(h.User), session, body ?? new KeepAliveRequest(), ct));
        app.MapPost("/api/admin/sessions/{session}/idle-exempt", (string session, IdleExemptRequest body, HttpContext h, SessionService s, CancellationToken ct) =>
            s.SetIdleExemptAsync(Caller.From(h.User), session, body, ct)).WithTags("admin").RequireAuthorization();
        g.MapPost("/{session}/exec", (string session, ExecRequest body, HttpContext h, SessionService s, CancellationToken ct) =>
            s.ExecAsync(Caller.From(h.User), session, body, ct));
        app.MapGet("/api/events", async (string? session, HttpContext h, SessionEventHub hub, CancellationToken ct) =>
        {
            var caller = Caller.From(h.User);
            h.Response.ContentType = "text/event-stream";
            h.Response.Headers.CacheControl = "no-store";
            // Subscribed before the first byte goes out: a client that has the response's headers misses no later event.
            var (id, reader) = hub.Subscribe();
            try
            {
                await h.Response.WriteAsync(": berth session events\n\n", ct);
                await h.Response.Body.FlushAsync(ct);
                while (!ct.IsCancellationRequested)
                {
                    using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    keepAlive.CancelAfter(TimeSpan.FromSeconds(15));
                    try
                    {
                        var envelope = await reader.ReadAsync(keepAlive.Token);
                        // Admins see the events of users they outrank, as they see those sessions; no one else's.
                        if (!envelope.VisibleTo(caller.UserId, caller.Role)) continue;
                        if (session is not null && envelope.Event.SessionName != session && envelope.Event.SessionId.ToString() != session) continue;
                        await h.Response.WriteAsync($"event: session\ndata: {JsonSerializer.Serialize(envelope.Event, JsonSerializerOptions.Web)}\n\n", ct);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        await h.Response.WriteAsync(": keep-alive\n\n", ct);
                    }
                    await h.Response.Body.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException) { }
            finally { hub.Unsubscribe(id); }
        }).WithTags("sessions").RequireAuthorization();
    }
}
