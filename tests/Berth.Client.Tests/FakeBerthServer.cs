using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Berth.Core.Auth;
using Berth.Core.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Client.Tests;

/// <summary>
/// Just enough of the manager (signed ticket endpoints) and of the storage API (tus 1.0, ranged GET) on a
/// real Kestrel at 127.0.0.1:0 to exercise the client's transfers, with hooks to break connections.
/// </summary>
internal sealed class FakeBerthServer : IAsyncDisposable
{
    public const string AccessKey = "AKFAKE", SecretKey = "fake-secret", Token = "ticket-token";
    public static readonly Guid FolderId = Guid.Parse("11111111-2222-3333-4444-555555555555");

    private readonly WebApplication _app;
    private int _nextUpload;

    public sealed class Upload
    {
        public long Length;
        public readonly MemoryStream Data = new();
        public long Offset => Data.Length;
    }

    public ConcurrentDictionary<string, Upload> Uploads { get; } = new();
    public ConcurrentQueue<long> PatchOffsets { get; } = new();
    public ConcurrentQueue<string?> RangeHeaders { get; } = new();
    public int Creates;
    public int BadSignatures;

    /// <summary>When set, the next PATCH is cut off (connection aborted) once this many bytes of it arrived.</summary>
    public long? AbortNextPatchAfter;

    /// <summary>The PATCH that completes an upload keeps every byte but closes the connection instead of answering (a lost last answer).</summary>
    public bool LoseFinalAnswer;

    /// <summary>This many HEADs answer 423, as a storage still finishing a broken request does.</summary>
    public int LockedHeads;

    /// <summary>Slows each received 64 KiB of a PATCH, so a test can interrupt mid-way.</summary>
    public TimeSpan PatchChunkDelay = TimeSpan.Zero;

    /// <summary>Completed when a PATCH has received at least <see cref="SignalAfterBytes"/> bytes in total.</summary>
    public TaskCompletionSource Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public long SignalAfterBytes = long.MaxValue;

    /// <summary>Completed each time a PATCH handler finishes, normally or not.</summary>
    public SemaphoreSlim PatchDone { get; } = new(0);

    public Dictionary<string, (byte[] Bytes, string? FileName, string ContentType)> Files { get; } = new();

    public Uri Endpoint { get; private set; } = null!;

    private FakeBerthServer(WebApplication app) => _app = app;

    public static async Task<FakeBerthServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var server = new FakeBerthServer(app);
        server.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address);
        return server;
    }

    private bool SignedOk(HttpContext ctx)
    {
        var date = ctx.Request.Headers[RequestSignature.DateHeader].ToString();
        var target = ctx.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var ok = RequestSignature.TryParseAuthorization(ctx.Request.Headers.Authorization, out var ak, out var sig)
                 && ak == AccessKey
                 && RequestSignature.Matches(RequestSignature.Sign(SecretKey, ctx.Request.Method, target, date,
                     ctx.Request.Headers[RequestSignature.ContentHashHeader].ToString(), ctx.Request.Headers[RequestSignature.NonceHeader].ToString()), sig);
        if (!ok) Interlocked.Increment(ref BadSignatures);
        return ok;
    }

    private static bool BearerOk(HttpContext ctx) => ctx.Request.Headers.Authorization.ToString() == "Bearer " + Token;

    private static IResult Problem(int status, string rule, string detail) =>
        Results.Json(new ProblemBody(null, "error", status, detail, rule, null), statusCode: status, contentType: "application/problem+json");

    private void Map(WebApplication app)
    {
        app.MapGet("/api/vfolders", (HttpContext ctx) => !SignedOk(ctx)
            ? Problem(401, "signature-invalid", "bad signature")
            : Results.Json(new[]
            {
                new VFolderDto(FolderId, "data", "local", "general", "rw", "user", "a@b.c", true, "ready", false, null, false, DateTimeOffset.UtcNow),
            }));

        app.MapPost("/api/vfolders/{folder}/files/upload", (HttpContext ctx, UploadRequest body) => !SignedOk(ctx)
            ? Problem(401, "signature-invalid", "bad signature")
            : Results.Json(new TransferTicketDto("/storage/v1/uploads", Token, DateTimeOffset.UtcNow.AddHours(1))));

        app.MapPost("/api/vfolders/{folder}/files/download", (HttpContext ctx, DownloadRequest body) => !SignedOk(ctx)
            ? Problem(401, "signature-invalid", "bad signature")
            : Results.Json(new TransferTicketDto("/storage/v1/downloads/" + Uri.EscapeDataString(body.Path!), Token, DateTimeOffset.UtcNow.AddHours(1))));

        app.MapPost("/storage/v1/uploads", (HttpContext ctx) =>
        {
            if (!BearerOk(ctx)) return Problem(401, "token-invalid", "bad token");
            var id = Interlocked.Increment(ref _nextUpload).ToString(CultureInfo.InvariantCulture);
            Uploads[id] = new Upload { Length = long.Parse(ctx.Request.Headers["Upload-Length"]!, CultureInfo.InvariantCulture) };
            Interlocked.Increment(ref Creates);
            ctx.Response.Headers["Tus-Resumable"] = "1.0.0";
            return Results.Created("/storage/v1/uploads/" + id, null);
        });

        app.MapMethods("/storage/v1/uploads/{id}", ["HEAD"], (HttpContext ctx, string id) =>
        {
            if (!BearerOk(ctx)) return Problem(401, "token-invalid", "bad token");
            if (!Uploads.TryGetValue(id, out var upload)) return Results.NotFound();
            if (Interlocked.Decrement(ref LockedHeads) >= 0) return Problem(423, "upload-locked", "busy");
            ctx.Response.Headers["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
            ctx.Response.Headers["Upload-Length"] = upload.Length.ToString(CultureInfo.InvariantCulture);
            return Results.Ok();
        });

        app.MapMethods("/storage/v1/uploads/{id}", ["PATCH"], async (HttpContext ctx, string id) =>
        {
            try
            {
                if (!BearerOk(ctx)) return Problem(401, "token-invalid", "bad token");
                if (!Uploads.TryGetValue(id, out var upload)) return Results.NotFound();
                var claimed = long.Parse(ctx.Request.Headers["Upload-Offset"]!, CultureInfo.InvariantCulture);
                PatchOffsets.Enqueue(claimed);
                if (claimed != upload.Offset) return Problem(409, "upload-offset-mismatch", "offset mismatch");

                var abortAfter = AbortNextPatchAfter;
                AbortNextPatchAfter = null;
                var buffer = new byte[64 * 1024];
                long received = 0;
                while (true)
                {
                    var want = abortAfter is { } a ? (int)Math.Min(buffer.Length, a - received) : buffer.Length;
                    if (want == 0)
                    {
                        ctx.Abort();
                        return Results.Empty;
                    }
                    int n;
                    try
                    {
                        n = await ctx.Request.Body.ReadAsync(buffer.AsMemory(0, want));
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
                    {
                        return Results.Empty; // the client went away: keep what arrived, as tus does
                    }
                    if (n == 0) break;
                    lock (upload) upload.Data.Write(buffer, 0, n);
                    received += n;
                    if (upload.Offset >= SignalAfterBytes) Received.TrySetResult();
                    if (PatchChunkDelay > TimeSpan.Zero) await Task.Delay(PatchChunkDelay);
                }
                if (upload.Offset == upload.Length && LoseFinalAnswer)
                {
                    LoseFinalAnswer = false;
                    ctx.Abort();
                    return Results.Empty;
                }
                ctx.Response.Headers["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
                return Results.NoContent();
            }
            finally
            {
                PatchDone.Release();
            }
        });

        app.MapGet("/storage/v1/downloads/{path}", (HttpContext ctx, string path) =>
        {
            if (!BearerOk(ctx)) return Problem(401, "token-invalid", "bad token");
            RangeHeaders.Enqueue(ctx.Request.Headers.Range.Count == 0 ? null : ctx.Request.Headers.Range.ToString());
            if (!Files.TryGetValue(path, out var file)) return Results.NotFound();
            return Results.Bytes(file.Bytes, file.ContentType, file.FileName, enableRangeProcessing: true);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
