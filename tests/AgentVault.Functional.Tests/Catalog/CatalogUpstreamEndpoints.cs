using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentVault.Functional.Tests.Catalog;

/// <summary>
/// Stand-ins for two vendors' endpoints on a <see cref="AgentVault.Testing.Upstream.TestUpstream"/>, each answering 200 only
/// with the real credential where the vendor expects it: OpenAI's <c>GET /v1/models</c> (<c>Authorization: Bearer</c>) and
/// Telegram's <c>/bot&lt;token&gt;/METHOD</c> (the token in the path). Anything else gets 401, so a test cannot pass unless
/// the broker injected exactly the right value in the right place.
/// </summary>
internal static class CatalogUpstreamEndpoints
{
    public static Action<IEndpointRouteBuilder> Create(string openAiKey, string telegramToken) => endpoints =>
    {
        endpoints.MapGet("/v1/models", (HttpRequest request) =>
            request.Headers.Authorization.ToString() == "Bearer " + openAiKey
                ? Results.Json(new { @object = "list", data = Array.Empty<object>() })
                : Results.Json(new { error = "invalid_api_key" }, statusCode: StatusCodes.Status401Unauthorized));
        endpoints.MapMethods("/bot{token}/{method}", ["GET", "POST"], (string token, string method) =>
            token == telegramToken
                ? Results.Json(new { ok = true, method })
                : Results.Json(new { ok = false, error_code = 401 }, statusCode: StatusCodes.Status401Unauthorized));
    };
}
