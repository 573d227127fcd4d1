using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Testing.Fakes.Vault;

/// <summary>An answer of the fake Vault: status and JSON body shaped like Vault's (<c>errors</c> on failure).</summary>
internal sealed record FakeVaultReply(int Status, JsonObject? Body)
{
    public static FakeVaultReply NoContent { get; } = new(StatusCodes.Status204NoContent, null);

    public static FakeVaultReply Error(int status, params string[] errors) =>
        new(status, new JsonObject { ["errors"] = new JsonArray(errors.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray()) });

    public static FakeVaultReply PermissionDenied() => Error(StatusCodes.Status403Forbidden, "permission denied");

    /// <summary>A read response with the envelope every Vault secret response has.</summary>
    public static FakeVaultReply Secret(JsonObject data, string leaseId = "", long leaseDuration = 0, bool renewable = false) =>
        new(StatusCodes.Status200OK, new JsonObject
        {
            ["request_id"] = Guid.NewGuid().ToString(),
            ["lease_id"] = leaseId,
            ["renewable"] = renewable,
            ["lease_duration"] = leaseDuration,
            ["data"] = data,
            ["wrap_info"] = null,
            ["warnings"] = null,
            ["auth"] = null,
        });

    /// <summary>A login or renew-self response (<c>auth</c> block).</summary>
    public static FakeVaultReply Auth(string token, long leaseDuration, bool renewable, IEnumerable<string> policies) =>
        new(StatusCodes.Status200OK, new JsonObject
        {
            ["request_id"] = Guid.NewGuid().ToString(),
            ["lease_id"] = string.Empty,
            ["renewable"] = false,
            ["lease_duration"] = 0,
            ["data"] = null,
            ["auth"] = new JsonObject
            {
                ["client_token"] = token,
                ["accessor"] = Guid.NewGuid().ToString("N"),
                ["policies"] = new JsonArray(policies.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
                ["lease_duration"] = leaseDuration,
                ["renewable"] = renewable,
            },
        });

    public async Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = Status;
        if (Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Body.ToJsonString(), context.RequestAborted);
        }
    }
}
