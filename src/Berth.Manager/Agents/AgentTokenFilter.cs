using Berth.Core.Auth;
using Berth.Core.Problems;
using Berth.Manager.Accounts;
using Berth.Manager.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Agents;

/// <summary>Lets a request through only when it carries the agent token (<c>Manager:AgentToken</c>).</summary>
public sealed class AgentTokenFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var expected = http.RequestServices.GetRequiredService<IOptions<ManagerOptions>>().Value.AgentToken;
        if (string.IsNullOrEmpty(expected))
            return ProblemResponses.ToResult(new Problem(401, "agent-token-unset",
                "This manager has no agent token (Manager:AgentToken), so it accepts no remote agents.", "authorization"));
        if (!AgentToken.Matches(http.Request.Headers.Authorization, expected))
            return ProblemResponses.ToResult(new Problem(401, "agent-token-invalid",
                "The agent token is missing or wrong; give the agent the manager's token (the server's <data>/agent-token).", "authorization"));
        return await next(context);
    }
}
