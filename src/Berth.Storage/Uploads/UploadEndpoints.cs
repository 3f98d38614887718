using System.Globalization;
using Berth.Core.Idempotency;
using Berth.Core.Problems;
using Berth.Storage.Http;
using Berth.Storage.Options;
using Berth.Storage.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Berth.Storage.Uploads;

/// <summary>
/// tus 1.0 core + creation + termination over <see cref="UploadStore"/>: 412 on a Tus-Resumable other
/// than 1.0.0, 415 on a PATCH that is not application/offset+octet-stream, 409 on an Upload-Offset that
/// is not the upload's, 423 while another request writes the upload, 404 for unknown uploads and 410
/// for terminated ones; HEAD answers for completed uploads too (offset = length).
/// </summary>
public static class UploadEndpoints
{
    public const string TusVersion = "1.0.0";
    public const string OffsetContentType = "application/offset+octet-stream";

    public static void Map(RouteGroupBuilder api)
    {
        var uploads = api.MapGroup("/uploads");
        uploads.AddEndpointFilter(TusHeaders);

        // OPTIONS needs no token and no Tus-Resumable (tus 1.0 §Options): it only says what this server speaks.
        uploads.MapMethods("", [HttpMethods.Options], Options);
        uploads.MapMethods("/{id}", [HttpMethods.Options], Options);

        uploads.MapPost("", async (HttpContext http, StorageTokenService tokens, UploadStore store) =>
        {
            var grant = await StorageAuth.RequireAsync(http, tokens, StorageOperations.Upload);
            var length = ReadLong(http, "Upload-Length", "upload-length-invalid");
            var key = http.Request.Headers[IdempotencyRules.Header].Count > 1
                ? throw Problem.Invalid(IdempotencyRules.Header, "idempotency-key-invalid", $"Send one {IdempotencyRules.Header} header.").ToException()
                : (string?)http.Request.Headers[IdempotencyRules.Header];
            if (IdempotencyRules.Check(key) is { } invalid) throw invalid.ToException();
            var status = await store.CreateAsync(grant, length, http.RequestAborted, key);
            http.Response.Headers["Upload-Offset"] = status.Offset.ToString(CultureInfo.InvariantCulture);
            if (status.Replayed) http.Response.Headers[IdempotencyRules.ReplayedHeader] = "true";
            return Results.Created($"/storage/v1/uploads/{status.Upload.Id}", null);
        });

        uploads.MapMethods("/{id}", [HttpMethods.Head], async (string id, HttpContext http, StorageTokenService tokens, UploadStore store) =>
        {
            var grant = await StorageAuth.RequireAsync(http, tokens, StorageOperations.Upload);
            var status = store.Get(grant, id);
            http.Response.Headers["Upload-Offset"] = status.Offset.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["Upload-Length"] = status.Upload.Length.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Ok();
        });

        uploads.MapPatch("/{id}", async (string id, HttpContext http, StorageTokenService tokens, UploadStore store) =>
        {
            var grant = await StorageAuth.RequireAsync(http, tokens, StorageOperations.Upload);
            if (!string.Equals(http.Request.ContentType, OffsetContentType, StringComparison.OrdinalIgnoreCase))
                throw new Problem(415, "content-type-invalid", $"PATCH bodies must be sent as {OffsetContentType}.", "Content-Type").ToException();
            var offset = ReadLong(http, "Upload-Offset", "upload-offset-invalid");
            // Bodies are streamed to disk, never buffered, so the server-wide size cap does not apply.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
            UploadStatus status;
            try
            {
                status = await store.AppendAsync(grant, id, offset, http.Request.Body, http.Request.ContentLength, http.RequestAborted);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException && http.RequestAborted.IsCancellationRequested)
            {
                // The client is gone; the bytes it sent are kept for a resume and there is no one to answer.
                return Results.Empty;
            }
            http.Response.Headers["Upload-Offset"] = status.Offset.ToString(CultureInfo.InvariantCulture);
            return Results.NoContent();
        });

        uploads.MapDelete("/{id}", async (string id, HttpContext http, StorageTokenService tokens, UploadStore store) =>
        {
            var grant = await StorageAuth.RequireAsync(http, tokens, StorageOperations.Upload);
            store.Delete(grant, id);
            return Results.NoContent();
        });
    }

    private static IResult Options(HttpContext http, IOptions<StorageOptions> options)
    {
        http.Response.Headers["Tus-Version"] = TusVersion;
        http.Response.Headers["Tus-Extension"] = "creation,termination";
        if (options.Value.MaxUploadBytes is { } max) http.Response.Headers["Tus-Max-Size"] = max.ToString(CultureInfo.InvariantCulture);
        return Results.NoContent();
    }

    private static async ValueTask<object?> TusHeaders(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers["Tus-Resumable"] = TusVersion;
        if (!HttpMethods.IsOptions(http.Request.Method) && http.Request.Headers["Tus-Resumable"].ToString() != TusVersion)
        {
            http.Response.Headers["Tus-Version"] = TusVersion;
            return StorageProblemResults.From(new Problem(412, "tus-version-unsupported", $"Send 'Tus-Resumable: {TusVersion}'.", "Tus-Resumable"));
        }
        return await next(context);
    }

    private static long ReadLong(HttpContext http, string header, string rule) =>
        long.TryParse(http.Request.Headers[header].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Problem.Invalid(header, rule, $"{header} must be a non-negative integer.").ToException();
}
