using Microsoft.OpenApi;

namespace Berth.Manager.Http.OpenApi;

/// <summary>
/// The storage API (tus 1.0 uploads, ranged downloads) reads its headers itself, so the generator sees no
/// parameters and a bare 200. This states what the handlers in Berth.Storage really take and answer.
/// </summary>
internal static class StorageOperations
{
    public static void Describe(OpenApiOperation operation, string method, string path, OpenApiDocument document)
    {
        operation.Parameters ??= [];
        operation.Responses ??= new OpenApiResponses();
        var r = operation.Responses;
        r.Remove("200");
        var isUploads = path.Contains("/uploads", StringComparison.Ordinal);
        if (isUploads && method != "OPTIONS") Header(operation, "Tus-Resumable", "The tus protocol version; must be 1.0.0.", required: true, enumValue: "1.0.0");
        switch (method, isUploads, path.EndsWith("{id}", StringComparison.Ordinal))
        {
            case ("OPTIONS", true, _):
                operation.Summary = "tus discovery: supported version, extensions and maximum size";
                r["204"] = Empty("Tus-Version, Tus-Extension and (when capped) Tus-Max-Size describe the server.", "Tus-Version", "Tus-Extension", "Tus-Max-Size");
                break;
            case ("POST", true, false):
                operation.Summary = "Create a tus upload (creation extension)";
                Header(operation, "Upload-Length", "The total size of the file in bytes.", required: true, integer: true);
                Header(operation, "Upload-Metadata", "tus metadata: comma-separated `key base64value` pairs (filename, ...).", required: false);
                r["201"] = Empty("Created (or, for a known Idempotency-Key, the first upload again); Location is the upload's URL.", "Location", "Upload-Offset", "Idempotency-Replayed");
                r["413"] = Problem(document);
                OperationTransformer.DescribeIdempotencyKey(operation, document);
                break;
            case ("HEAD", true, true):
                operation.Summary = "The offset an upload has reached (also after it completed)";
                r["200"] = Empty("Upload-Offset and Upload-Length; Cache-Control: no-store.", "Upload-Offset", "Upload-Length");
                break;
            case ("PATCH", true, true):
                operation.Summary = "Append bytes to an upload at its current offset";
                Header(operation, "Upload-Offset", "The offset the bytes start at; must equal the server's.", required: true, integer: true);
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/offset+octet-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                    },
                };
                r["204"] = Empty("Appended; Upload-Offset is the new offset.", "Upload-Offset");
                r["409"] = Problem(document);
                r["415"] = Problem(document);
                r["423"] = Problem(document);
                break;
            case ("DELETE", true, true):
                operation.Summary = "Abandon an upload (termination extension)";
                r["204"] = Empty("Deleted.");
                break;
            default:
                operation.Summary = method == "HEAD" ? "The size and validators of the ticket's file" : "Download the ticket's file, whole or in ranges";
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "token", In = ParameterLocation.Query, Required = false,
                    Description = "The download ticket, for clients that cannot send Authorization: Bearer.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
                Header(operation, "Range", "RFC 9110 byte ranges, e.g. bytes=0-1023; other units are ignored.", required: false);
                Header(operation, "If-Range", "An ETag or date; the range applies only while the file is unchanged.", required: false);
                Header(operation, "If-None-Match", "An ETag; 304 when it still matches.", required: false);
                r["200"] = File("The whole file.");
                r["206"] = File("The requested range (Content-Range says which).");
                r["304"] = Empty("Not modified.");
                r["416"] = Empty("The range is outside the file; Content-Range: bytes */<size>.", "Content-Range");
                break;
        }
    }

    private static void Header(OpenApiOperation operation, string name, string description, bool required, bool integer = false, string? enumValue = null) =>
        operation.Parameters!.Add(new OpenApiParameter
        {
            Name = name, In = ParameterLocation.Header, Required = required, Description = description,
            Schema = integer
                ? new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0" }
                : new OpenApiSchema { Type = JsonSchemaType.String, Enum = enumValue is null ? null : [System.Text.Json.Nodes.JsonValue.Create(enumValue)] },
        });

    private static OpenApiResponse Empty(string description, params string[] headers) => new()
    {
        Description = description,
        Headers = headers.Length == 0 ? null : headers.ToDictionary(h => h, IOpenApiHeader (h) => new OpenApiHeader { Schema = new OpenApiSchema { Type = JsonSchemaType.String } }),
    };

    private static OpenApiResponse File(string description) => new()
    {
        Description = description,
        Headers = new Dictionary<string, IOpenApiHeader>
        {
            ["ETag"] = new OpenApiHeader { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            ["Accept-Ranges"] = new OpenApiHeader { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            ["Content-Range"] = new OpenApiHeader { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
        },
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/octet-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
        },
    };

    private static IOpenApiResponse Problem(OpenApiDocument document) => new OpenApiResponseReference(DocumentTransformer.ProblemName, document);
}
