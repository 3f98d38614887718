using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Scalar.AspNetCore;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Manager.Http.OpenApi;

/// <summary>
/// Builds the manager's OpenAPI document (<c>/openapi/v1.json</c>) so that generators such as openapi-typescript and
/// linters such as Redocly take it as it is. The rules live here, centrally, so endpoint files stay about behaviour.
/// </summary>
public static class BerthOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api/docs";

    public static IServiceCollection AddBerthOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer<IntegerSchemaTransformer>();
            options.AddOperationTransformer<OperationTransformer>();
            options.AddDocumentTransformer<DocumentTransformer>();
        });

    /// <summary>
    /// The document, and a browsable reference over it at /api/docs. Scalar serves its script from the package
    /// itself (no CDN), so the reference works on a machine without internet access.
    /// </summary>
    public static IEndpointRouteBuilder MapBerthOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("Berth API reference")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
