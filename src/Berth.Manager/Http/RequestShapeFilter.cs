using System.Reflection;
using Berth.Core.Validation;
using Microsoft.AspNetCore.Http;

namespace Berth.Manager.Http;

/// <summary>
/// Runs <see cref="RequestShape"/> on every argument an endpoint binds from the request — the JSON body and each
/// route or query string — before the endpoint sees it, so that no field anywhere reaches a rule, the database or
/// a log with control characters, an unpaired surrogate or an unbounded length. Mapped once around every API route.
/// </summary>
public static class RequestShapeFilter
{
    /// <summary>Route and query strings: a folder path in a query can be as long as a file path.</summary>
    public const int MaxRouteValueLength = 4096;

    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var checks = factory.MethodInfo.GetParameters().Select(Checker).ToArray();
        if (checks.All(c => c is null)) return next;
        return async context =>
        {
            for (var i = 0; i < checks.Length && i < context.Arguments.Count; i++)
                if (checks[i]?.Invoke(context.Arguments[i]) is { } problem)
                    throw problem.ToException();
            return await next(context);
        };
    }

    private static Func<object?, Core.Problems.Problem?>? Checker(ParameterInfo p)
    {
        var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
        var name = p.Name ?? "value";
        if (type == typeof(string)) return value => RequestShape.CheckLine(value as string, name, MaxRouteValueLength);
        // Bodies are Berth's own contracts; services, HttpContext and tokens are not request input.
        if (type.Namespace?.StartsWith("Berth.Core", StringComparison.Ordinal) == true) return value => RequestShape.Check(value);
        return null;
    }
}
