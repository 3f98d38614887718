using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Berth.Manager.Http.OpenApi;

/// <summary>
/// The web JSON defaults read numbers from strings too, so the generator types every number as
/// <c>["integer","string"]</c> with a digit pattern; clients then get <c>number | string</c>. The server writes
/// numbers as numbers, and that is the contract we document.
/// </summary>
internal sealed class IntegerSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number))
            && type.HasFlag(JsonSchemaType.String))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        return Task.CompletedTask;
    }
}
