using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Berth.Manager.Http.OpenApi;

/// <summary>Document-wide parts: server URLs, the two security schemes, and the shared problem+json response.</summary>
internal sealed class DocumentTransformer : IOpenApiDocumentTransformer
{
    public const string SignatureScheme = "berthSignature";
    public const string TicketScheme = "storageTicket";
    public const string ProblemName = "Problem";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info ??= new OpenApiInfo();
        document.Info.Title = "Berth manager API";
        document.Info.Description = "Multi-user container sessions. Every error is application/problem+json naming the field and the rule (docs/api-errors.md).";
        document.Info.License ??= new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Berth" };
        // openapi-typescript refuses a server URL that ends in a slash (it joins paths that start with one).
        foreach (var server in document.Servers ?? [])
            server.Url = server.Url?.TrimEnd('/');
        if (document.Servers is { } servers)
            foreach (var empty in servers.Where(s => string.IsNullOrEmpty(s.Url)).ToList()) servers.Remove(empty);

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            tag.Description ??= $"Operations on {tag.Name}.";

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SignatureScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "Authorization",
            Description = "`Authorization: Berth-HMAC-SHA256 <access key>:<signature>`, an HMAC-SHA256 with the secret key over the method, "
                + "path and query, the Berth-Date and Berth-Nonce headers and the SHA-256 of the body (see src/Berth.Client/SigningHandler.cs).",
        };
        document.Components.SecuritySchemes[TicketScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A short-lived storage ticket issued by the manager (folder upload/download endpoints), sent as "
                + "`Authorization: Bearer <ticket>` or, where a browser cannot set headers, as `?token=<ticket>`.",
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemName] = ProblemSchema();
        document.Components.Responses ??= new Dictionary<string, IOpenApiResponse>();
        document.Components.Responses[ProblemName] = new OpenApiResponse
        {
            Description = "The request was refused or failed; the body names the rule and, where one is at fault, the field.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemName, document) },
            },
        };
        return Task.CompletedTask;
    }

    /// <summary>The body written by ProblemResponses: RFC 9457 members plus Berth's rule and field.</summary>
    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "type", "title", "status", "rule" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "https://berth.dev/problems/<rule>" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["rule"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The rule that was broken, e.g. name-invalid." },
            ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The field at fault, as a JSON path without $." },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };
}
