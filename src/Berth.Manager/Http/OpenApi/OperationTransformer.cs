using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Berth.Manager.Http.OpenApi;

/// <summary>
/// Per operation: a stable operation id, the security scheme it takes, the problem+json responses every
/// operation can give, and — for the storage API, whose handlers read raw headers — its real parameters and statuses.
/// </summary>
internal sealed class OperationTransformer : IOpenApiOperationTransformer
{
    private static readonly string[] ProblemStatuses = ["400", "401", "403", "404"];

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var path = "/" + (description.RelativePath ?? "").TrimStart('/');
        var method = description.HttpMethod ?? "GET";
        var document = context.Document!;
        operation.OperationId ??= OperationIdFor(method, path);
        operation.Summary ??= $"{method} {path}";
        DeclarePathParameters(operation, path);
        operation.Responses ??= new OpenApiResponses();

        var storage = path.StartsWith("/storage/", StringComparison.Ordinal);
        if (storage) StorageOperations.Describe(operation, method, path, document);

        var anonymous = description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();
        if (!anonymous)
        {
            var scheme = storage ? DocumentTransformer.TicketScheme : DocumentTransformer.SignatureScheme;
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] }];
        }
        else
        {
            // An empty requirement says "no credentials needed" explicitly, rather than leaving it unsaid.
            operation.Security = [new OpenApiSecurityRequirement()];
        }
        if (description.ActionDescriptor.EndpointMetadata.OfType<Idempotency.IdempotentCreateMetadata>().Any())
            DescribeIdempotencyKey(operation, document);
        foreach (var status in ProblemStatuses)
            if (!operation.Responses.ContainsKey(status)) operation.Responses[status] = new OpenApiResponseReference(DocumentTransformer.ProblemName, document);
        if (!operation.Responses.ContainsKey("default")) operation.Responses["default"] = new OpenApiResponseReference(DocumentTransformer.ProblemName, document);
        return Task.CompletedTask;
    }

    /// <summary>The optional <c>Idempotency-Key</c> header of a create and the two answers only it can cause.</summary>
    public static void DescribeIdempotencyKey(OpenApiOperation operation, OpenApiDocument document)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Core.Idempotency.IdempotencyRules.Header, In = ParameterLocation.Header, Required = false,
            Description = "A key of your choosing (a UUID) that makes a retry of this create safe: the same key with the same request " +
                          "answers the first result again (with Idempotency-Replayed: true) for 24 hours; with another request 422 " +
                          "idempotency-key-reused; while the first is still being served 409 idempotency-key-in-flight.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Core.Idempotency.IdempotencyRules.MaxLength },
        });
        operation.Responses ??= new OpenApiResponses();
        foreach (var status in new[] { "409", "422" })
            if (!operation.Responses.ContainsKey(status)) operation.Responses[status] = new OpenApiResponseReference(DocumentTransformer.ProblemName, document);
    }

    /// <summary>Handlers that read the route value from HttpContext still have it in the path; name it for generators.</summary>
    private static void DeclarePathParameters(OpenApiOperation operation, string path)
    {
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(path, "{([^}:?]+)"))
        {
            var name = m.Groups[1].Value;
            operation.Parameters ??= [];
            if (operation.Parameters.Any(p => p.In == ParameterLocation.Path && p.Name == name)) continue;
            operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
        }
    }

    /// <summary><c>GET /api/sessions/{id}/logs</c> becomes <c>getApiSessionsByIdLogs</c>: unique because method and path are.</summary>
    public static string OperationIdFor(string method, string path)
    {
        var id = new StringBuilder(method.ToLowerInvariant());
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var parameter = segment.StartsWith('{');
            if (parameter) id.Append("By");
            foreach (var word in segment.Split(['{', '}', '-', '.', '_', ':', '*', '?'], StringSplitOptions.RemoveEmptyEntries))
                id.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
        }
        return id.ToString();
    }
}
