using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Testing.Fakes.Azure;

/// <summary>The HTTP surface of <see cref="FakeAzureKeyVault"/>: the shapes the Azure SDK reads, nothing more.</summary>
internal static class FakeAzureKeyVaultEndpoints
{
    public static void Map(WebApplication app, FakeAzureKeyVault fake)
    {
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (HttpContext context, string tenant) =>
        {
            var root = $"{context.Request.Scheme}://{context.Request.Host}/{tenant}";
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = root + "/v2.0",
                ["authorization_endpoint"] = root + "/oauth2/v2.0/authorize",
                ["token_endpoint"] = root + "/oauth2/v2.0/token",
                ["jwks_uri"] = root + "/discovery/v2.0/keys",
                ["response_types_supported"] = new[] { "code", "token" },
                ["subject_types_supported"] = new[] { "pairwise" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["tenant_region_scope"] = "WW",
            });
        });

        app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpContext context, string tenant) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (!string.Equals(tenant, fake.TenantId, StringComparison.OrdinalIgnoreCase) || form["client_id"] != fake.ClientId)
            {
                return TokenError(400, "unauthorized_client", "AADSTS700016: Application not found in the directory.");
            }

            var authenticated = form["client_assertion"].ToString() is { Length: > 0 } assertion
                ? Same(assertion, fake.FederatedToken)
                : Same(form["client_secret"].ToString(), fake.ClientSecret);
            if (!authenticated || form["grant_type"] != "client_credentials")
            {
                return TokenError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
            }

            return Results.Json(new Dictionary<string, object>
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = (int)fake.TokenLifetime.TotalSeconds,
                ["ext_expires_in"] = (int)fake.TokenLifetime.TotalSeconds,
                ["access_token"] = fake.IssueToken(),
            });
        });

        app.MapGet("/secrets", (HttpContext context) => Authorized(context, fake, () =>
            Results.Json(new Dictionary<string, object?>
            {
                ["value"] = fake.Latest().Select(s => new Dictionary<string, object>
                {
                    ["id"] = $"{Vault(context)}/secrets/{s.Name}",
                    ["attributes"] = Attributes(s),
                }).ToArray(),
                ["nextLink"] = null,
            })));

        app.MapGet("/secrets/{name}/{version?}", (HttpContext context, string name, string? version) => Authorized(context, fake, () =>
        {
            fake.CountRead(name);
            var secret = fake.Find(name, string.IsNullOrEmpty(version) ? null : version);
            if (secret is null)
            {
                return VaultError(404, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault.");
            }

            if (!secret.Enabled)
            {
                return VaultError(403, "Forbidden", "Operation get is not allowed on a disabled secret.");
            }

            return Results.Json(new Dictionary<string, object>
            {
                ["value"] = secret.Value,
                ["id"] = $"{Vault(context)}/secrets/{secret.Name}/{secret.Version}",
                ["attributes"] = Attributes(secret),
                ["tags"] = new Dictionary<string, string>(),
            });
        }));
    }

    private static IResult Authorized(HttpContext context, FakeAzureKeyVault fake, Func<IResult> next)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            // The challenge the SDK answers by requesting a token for this tenant and resource.
            fake.CountChallenge();
            context.Response.Headers.WWWAuthenticate =
                $"Bearer authorization=\"{context.Request.Scheme}://{context.Request.Host}/{fake.TenantId}\", resource=\"https://vault.azure.net\"";
            return VaultError(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
        }

        return fake.IsValidToken(header["Bearer ".Length..])
            ? next()
            : VaultError(401, "Unauthorized", "AKV10032: Invalid issuer or token.");
    }

    private static Dictionary<string, object> Attributes(FakeAzureSecret secret) => new()
    {
        ["enabled"] = secret.Enabled,
        ["created"] = secret.Created.ToUnixTimeSeconds(),
        ["updated"] = secret.Created.ToUnixTimeSeconds(),
        ["recoveryLevel"] = "Recoverable+Purgeable",
    };

    private static string Vault(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    private static IResult VaultError(int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: status);

    private static IResult TokenError(int status, string error, string description) =>
        Results.Json(new Dictionary<string, object> { ["error"] = error, ["error_description"] = description, ["error_codes"] = new[] { 7000215 } }, statusCode: status);

    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
