using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AgentVault.Broker.Access;
using AgentVault.Broker.Approvals;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Tests.Management;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AgentVault.Broker.Tests.Access;

/// <summary>
/// Issue 14's matrix: every management route, tried by every role (and without credentials), is allowed or refused with
/// 403 <c>forbidden</c> exactly as the role table of docs/access.md says. The expectations are written here, apart from the
/// routes' own declarations, and the set of routes is read from the running host, so a route added without a row fails.
/// Each request runs on a freshly re-applied configuration, so one role's change cannot decide another's outcome.
/// </summary>
public sealed class RoleMatrixTests : IAsyncLifetime
{
    private const string BaseConfig = """
        {
          "stores": [ { "name": "local", "type": "file" } ],
          "vaults": [
            { "name": "dev", "credentials": { "GITHUB_TOKEN": "local:github", "OLD": "local:old" },
              "services": [ { "name": "github", "host": "api.github.com", "auth": { "type": "bearer", "token": "GITHUB_TOKEN" } } ] },
            { "name": "prod", "credentials": { "K": "local:k" } }
          ],
          "agents": [ { "name": "claude", "vaults": ["dev"], "can_mint": true } ],
          "access": [
            { "email": "owner@example.com", "role": "owner" },
            { "email": "dev-admin@example.com", "vault": "dev", "role": "admin" },
            { "group": "dev-editors", "vault": "dev", "role": "editor" },
            { "email": "dev-viewer@example.com", "vault": "dev", "role": "viewer" },
            { "email": "prod-admin@example.com", "vault": "prod", "role": "admin" }
          ]
        }
        """;

    /// <summary>Who tries, and what docs/access.md says they hold (independent of the product's policy code).</summary>
    private static readonly Persona[] People =
    [
        new("admin token", null, [], Owner: true, []),
        new("owner", "owner@example.com", [], Owner: true, []),
        new("dev admin", "dev-admin@example.com", [], Owner: false, new() { ["dev"] = VaultRole.Admin }),
        new("dev editor", "dev-editor@example.com", ["dev-editors"], Owner: false, new() { ["dev"] = VaultRole.Editor }),
        new("dev viewer", "dev-viewer@example.com", [], Owner: false, new() { ["dev"] = VaultRole.Viewer }),
        new("prod admin", "prod-admin@example.com", [], Owner: false, new() { ["prod"] = VaultRole.Admin }),
        new("no role", "nobody@example.com", ["dev-viewers-but-not-granted"], Owner: false, []),
    ];

    /// <summary>Routes that agents use and that check agent tokens themselves (covered by their own tests).</summary>
    private static readonly string[] AgentRoutes = ["GET /v1/discover", "POST /v1/proposals"];

    private static readonly Row[] Rows =
    [
        new("POST", "/v1/apply", "v1/apply?dry_run=true", BaseConfig, Need.Owner),
        new("GET", "/v1/export", "v1/export", null, Need.Owner),
        new("GET", "/v1/stores", "v1/stores", null, Need.Member),
        new("PUT", "/v1/stores/{name}", "v1/stores/extra", """{ "type": "file" }""", Need.Owner),
        new("DELETE", "/v1/stores/{name}", "v1/stores/local", null, Need.Owner),
        new("POST", "/v1/stores/{name}/test", "v1/stores/local/test", null, Need.Owner),
        new("GET", "/v1/stores/{name}/secrets", "v1/stores/local/secrets", null, Need.Owner),
        new("PUT", "/v1/stores/{name}/secrets/{secret}", "v1/stores/local/secrets/k", """{ "value": "x" }""", Need.Owner),
        new("DELETE", "/v1/stores/{name}/secrets/{secret}", "v1/stores/local/secrets/k", null, Need.Owner),
        new("GET", "/v1/vaults", "v1/vaults", null, Need.Member),
        new("PUT", "/v1/vaults/{name}", "v1/vaults/dev", """{ "unmatched": "deny" }""", Need.In("dev", VaultRole.Admin)),
        new("PUT", "/v1/vaults/{name}", "v1/vaults/prod", """{ "unmatched": "deny" }""", Need.In("prod", VaultRole.Admin)),
        new("DELETE", "/v1/vaults/{name}", "v1/vaults/prod", null, Need.Owner),
        new("GET", "/v1/vaults/{vault}/services", "v1/vaults/dev/services", null, Need.In("dev", VaultRole.Viewer)),
        new("GET", "/v1/vaults/{vault}/services", "v1/vaults/prod/services", null, Need.In("prod", VaultRole.Viewer)),
        new("PUT", "/v1/vaults/{vault}/services", "v1/vaults/dev/services",
            """{ "services": [ { "name": "gitlab", "host": "gitlab.example.com", "auth": { "type": "bearer", "token": "GITHUB_TOKEN" } } ] }""", Need.In("dev", VaultRole.Editor)),
        new("DELETE", "/v1/vaults/{vault}/services/{name}", "v1/vaults/dev/services/github", null, Need.In("dev", VaultRole.Editor)),
        new("GET", "/v1/vaults/{vault}/credentials", "v1/vaults/dev/credentials", null, Need.In("dev", VaultRole.Viewer)),
        new("PUT", "/v1/vaults/{vault}/credentials", "v1/vaults/dev/credentials", """{ "NEW_KEY": "local:new" }""", Need.In("dev", VaultRole.Editor)),
        new("PUT", "/v1/vaults/{vault}/credentials", "v1/vaults/prod/credentials", """{ "NEW_KEY": "local:new" }""", Need.In("prod", VaultRole.Editor)),
        new("DELETE", "/v1/vaults/{vault}/credentials/{key}", "v1/vaults/dev/credentials/OLD", null, Need.In("dev", VaultRole.Editor)),
        new("POST", "/v1/vaults/{vault}/credentials/check", "v1/vaults/dev/credentials/check", null, Need.In("dev", VaultRole.Editor)),
        new("GET", "/v1/agents", "v1/agents", null, Need.Member),
        new("POST", "/v1/agents", "v1/agents", """{ "name": "helper", "vaults": ["dev"] }""", Need.In("dev", VaultRole.Admin)),
        new("POST", "/v1/agents", "v1/agents", """{ "name": "helper", "vaults": ["dev", "prod"] }""", Need.In("dev", VaultRole.Admin) with { Also = ("prod", VaultRole.Admin) }),
        new("POST", "/v1/agents/{name}/revoke", "v1/agents/claude/revoke", null, Need.In("dev", VaultRole.Admin)),
        new("POST", "/v1/agents/{name}/rotate", "v1/agents/claude/rotate", null, Need.In("dev", VaultRole.Admin)),
        new("DELETE", "/v1/agents/{name}", "v1/agents/claude", null, Need.In("dev", VaultRole.Admin)),
        new("GET", "/v1/tokens", "v1/tokens", null, Need.Owner),
        new("DELETE", "/v1/tokens/{id}", "v1/tokens/tok_unknown", null, Need.Owner),
        new("POST", "/v1/tokens", "v1/tokens", """{ "vault": "dev", "agent": "claude" }""", Need.In("dev", VaultRole.Admin)),
        new("GET", "/v1/plugins", "v1/plugins", null, Need.Member),
        new("GET", "/v1/logs", "v1/logs", null, Need.Member),
        new("GET", "/v1/logs", "v1/logs?vault=prod", null, Need.In("prod", VaultRole.Viewer)),
        new("GET", "/v1/audit", "v1/audit", null, Need.Member),
        new("GET", "/v1/audit", "v1/audit?vault=prod", null, Need.In("prod", VaultRole.Viewer)),
        new("GET", "/v1/sessions", "v1/sessions", null, Need.Owner),
        new("DELETE", "/v1/sessions/{id}", "v1/sessions/ses_unknown", null, Need.Owner),
        new("POST", "/v1/admin/rotate-token", "v1/admin/rotate-token", null, Need.Owner),
        new("GET", "/v1/proposals", "v1/proposals", null, Need.Member),
        new("GET", "/v1/proposals/{id}", "v1/proposals/{proposal}", null, Need.In("dev", VaultRole.Viewer)),
        new("POST", "/v1/proposals/{id}/approve", "v1/proposals/{proposal}/approve", "{}", Need.In("dev", VaultRole.Admin)),
        new("POST", "/v1/proposals/{id}/reject", "v1/proposals/{proposal}/reject", """{ "reason": "not now" }""", Need.In("dev", VaultRole.Admin)),
        new("GET", "/v1/approvals", "v1/approvals", null, Need.Member),
        new("GET", "/v1/approvals/grants", "v1/approvals/grants", null, Need.Member),
        new("GET", "/v1/approvals/{id}", "v1/approvals/{held}", null, Need.In("dev", VaultRole.Viewer)),
        new("POST", "/v1/approvals/{id}/approve", "v1/approvals/{held}/approve", null, Need.In("dev", VaultRole.Admin)),
        new("POST", "/v1/approvals/{id}/deny", "v1/approvals/{held}/deny", null, Need.In("dev", VaultRole.Admin)),
        new("DELETE", "/v1/approvals/grants/{id}", "v1/approvals/grants/{grant}", null, Need.In("dev", VaultRole.Admin)),
        new("GET", "/v1/catalog", "v1/catalog", null, Need.AnyCaller),
        new("GET", "/v1/catalog/{id}", "v1/catalog/openai", null, Need.AnyCaller),
        new("*", "/v1/{**rest}", "v1/no-such-resource", null, Need.Member),
    ];

    private ManagementTestHost _host = null!;
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        _host = await ManagementTestHost.StartAsync(features: true);
        await _host.ApplyAsync(BaseConfig, prune: true);
        foreach (var person in People)
        {
            _tokens[person.Name] = person.Email is null
                ? ManagementTestHost.AdminToken
                : (await _host.Sessions.StartAsync(SessionRecord.Cli, person.Email, person.Email, person.Groups, CancellationToken.None)).Token;
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void EveryRouteOfTheApi_HasARow()
    {
        var routes = _host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet(StringComparer.Ordinal);
        var covered = Rows.Select(r => $"{r.Method} {r.Pattern}").Concat(AgentRoutes).ToHashSet(StringComparer.Ordinal);

        Assert.True(routes.Count > 40, $"only {routes.Count} routes found");
        Assert.Empty(routes.Except(covered).Order(StringComparer.Ordinal));
        Assert.Empty(covered.Except(routes).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryRoute_AllowsExactlyTheRolesThatHoldItsRight_AndRefusesTheRestWith403()
    {
        var wrong = new List<string>();
        foreach (var row in Rows)
        {
            foreach (var person in People)
            {
                var (status, code) = await SendAsync(row, _tokens[person.Name]);
                var allowed = row.Need.Allows(person);
                if (allowed && status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    wrong.Add($"{row.Method} {row.Path} as {person.Name}: {(int)status} {code}, but the role allows it");
                }
                else if (!allowed && (status != HttpStatusCode.Forbidden || code != "forbidden"))
                {
                    wrong.Add($"{row.Method} {row.Path} as {person.Name}: {(int)status} {code}, expected 403 forbidden");
                }
            }

            var (anonymous, _) = await SendAsync(row, token: null);
            if (anonymous != HttpStatusCode.Unauthorized)
            {
                wrong.Add($"{row.Method} {row.Path} without credentials: {(int)anonymous}, expected 401");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task ARevokedOrSignedOutSession_StopsWorkingAtOnce()
    {
        using var client = Client(_tokens["dev admin"]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("v1/vaults")).StatusCode);
        var (token, session) = await _host.Sessions.StartAsync(SessionRecord.Cli, "dev-admin@example.com", "dev-admin@example.com", [], CancellationToken.None);
        using var second = Client(token);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("v1/vaults")).StatusCode);

        using var owner = Client(_tokens["owner"]);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync("v1/sessions/" + session.Id)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("v1/vaults")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("v1/vaults")).StatusCode);
    }

    [Fact]
    public async Task ARoleTakenAwayInTheConfiguration_EndsTheRightAtOnce_WithoutSigningInAgain()
    {
        using var editor = Client(_tokens["dev editor"]);
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync("v1/vaults/dev/credentials")).StatusCode);

        await _host.ApplyAsync(BaseConfig.Replace("\"group\": \"dev-editors\"", "\"group\": \"someone-else\"", StringComparison.Ordinal));

        using var refused = await editor.GetAsync("v1/vaults/dev/credentials");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("viewer role in vault 'dev'", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await _host.ApplyAsync(BaseConfig, prune: true);
    }

    [Fact]
    public async Task Lists_ShowOnlyTheVaultsARoleMayView()
    {
        Assert.Equal(["dev"], await VaultNamesAsync("dev viewer"));
        Assert.Equal(["prod"], await VaultNamesAsync("prod admin"));
        Assert.Equal(["dev", "prod"], await VaultNamesAsync("owner"));
        Assert.Empty(await VaultNamesAsync("no role"));
    }

    private async Task<List<string?>> VaultNamesAsync(string person)
    {
        using var client = Client(_tokens[person]);
        using var response = await client.GetAsync("v1/vaults");
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            return [];
        }

        return [.. JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(v => (string?)v!["name"])];
    }

    private async Task<(HttpStatusCode Status, string? Code)> SendAsync(Row row, string? token)
    {
        await _host.ApplyAsync(BaseConfig, prune: true);
        var path = await PrepareAsync(row.Path);
        using var client = Client(token);
        using var request = new HttpRequestMessage(new HttpMethod(row.Method == "*" ? "GET" : row.Method), path);
        if (row.Body is not null)
        {
            request.Content = ManagementTestHost.Json(row.Body);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var code = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? (string?)JsonNode.Parse(text)?["code"] : null;
        return (response.StatusCode, code);
    }

    /// <summary>Makes what a path names: a pending proposal of vault dev, a held request of dev, a standing grant of dev.</summary>
    private async Task<string> PrepareAsync(string path)
    {
        if (path.Contains("{proposal}", StringComparison.Ordinal))
        {
            var id = "prp_" + Guid.NewGuid().ToString("N")[..12];
            var now = DateTimeOffset.UtcNow;
            var proposal = new ProposalRecord
            {
                Id = id, Vault = "dev", Agent = "claude", Status = ProposalRecord.Pending, Message = "please",
                Changes = """{"services":[],"credentials":{"EXTRA":{"ref":"local:extra"}}}""", CreatedAt = now, ExpiresAt = now.AddDays(7),
            };
            Assert.True(await _host.Services.GetRequiredService<IProposalRepository>().TryInsertAsync(proposal, 1000, 1000, CancellationToken.None));
            return path.Replace("{proposal}", id, StringComparison.Ordinal);
        }

        var registry = _host.Services.GetRequiredService<ApprovalRegistry>();
        var held = new HeldRequest("claude", "dev", "github", "POST /repos/**", "POST", "api.github.com", 443, "/repos/x", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        if (path.Contains("{held}", StringComparison.Ordinal))
        {
            Assert.True(registry.TryHold(held));
            return path.Replace("{held}", held.Id, StringComparison.Ordinal);
        }

        return path.Contains("{grant}", StringComparison.Ordinal)
            ? path.Replace("{grant}", registry.Grants.Add(held, TimeSpan.FromMinutes(5), "test").Id, StringComparison.Ordinal)
            : path;
    }

    private HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = _host.Api };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private sealed record Persona(string Name, string? Email, string[] Groups, bool Owner, Dictionary<string, VaultRole> Roles)
    {
        public VaultRole In(string vault) => Owner ? VaultRole.Admin : Roles.GetValueOrDefault(vault);
    }

    private sealed record Row(string Method, string Pattern, string Path, string? Body, Need Need);

    private sealed record Need(string Kind, string? Vault = null, VaultRole Role = VaultRole.None)
    {
        public static Need Owner { get; } = new("owner");

        public static Need Member { get; } = new("member");

        public static Need AnyCaller { get; } = new("any");

        public (string Vault, VaultRole Role)? Also { get; init; }

        public static Need In(string vault, VaultRole role) => new("vault", vault, role);

        public bool Allows(Persona person) => Kind switch
        {
            "owner" => person.Owner,
            "member" => person.Owner || person.Roles.Count > 0,
            "any" => true,
            _ => person.In(Vault!) >= Role && (Also is not { } also || person.In(also.Vault) >= also.Role),
        };
    }
}
