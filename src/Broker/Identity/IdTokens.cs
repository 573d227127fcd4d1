using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using AgentVault.Broker.Outbound;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AgentVault.Broker.Identity;

/// <summary>
/// Checks an ID token the broker received itself (the device flow, where no browser brings it back): signature against the
/// issuer's published keys, issuer, audience (our client id) and lifetime, then the person's claims, completed from the
/// userinfo endpoint (same subject) when the ID token carries no email.
/// </summary>
internal sealed class IdTokens(IOptionsMonitor<OpenIdConnectOptions> monitor, IOutboundClients outbound)
{
    private OpenIdConnectOptions Options => monitor.Get(OidcSignIn.Scheme);

    public string ClientId => Options.ClientId!;

    public Task<OpenIdConnectConfiguration> ConfigurationAsync(CancellationToken cancellationToken) =>
        Options.ConfigurationManager!.GetConfigurationAsync(cancellationToken);

    public async Task<(Person? Person, string? Problem)> PersonAsync(string idToken, string? accessToken, CancellationToken cancellationToken)
    {
        var config = await ConfigurationAsync(cancellationToken);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = config.Issuer,
            ValidAudience = ClientId,
            IssuerSigningKeys = config.SigningKeys,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromMinutes(2),
        });
        if (!result.IsValid)
        {
            return (null, "the identity provider's ID token did not validate");
        }

        var claims = result.ClaimsIdentity.Claims.ToList();
        if (!claims.Exists(c => c.Type == "email") && accessToken is not null && !string.IsNullOrEmpty(config.UserInfoEndpoint))
        {
            var subject = claims.Find(c => c.Type == "sub")?.Value;
            claims.AddRange(await UserInfoAsync(config.UserInfoEndpoint, accessToken, subject, cancellationToken));
        }

        return Person.From(claims);
    }

    private async Task<IEnumerable<Claim>> UserInfoAsync(string endpoint, string accessToken, string? subject, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await outbound.Plugins.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("sub", out var sub) || sub.GetString() != subject)
        {
            return [];
        }

        var claims = new List<Claim>();
        foreach (var name in new[] { "email", "email_verified", "groups" })
        {
            if (!root.TryGetProperty(name, out var value))
            {
                continue;
            }

            if (value.ValueKind == JsonValueKind.Array)
            {
                claims.AddRange(value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => new Claim(name, v.GetString()!)));
            }
            else
            {
                claims.Add(new Claim(name, value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()));
            }
        }

        return claims;
    }
}
