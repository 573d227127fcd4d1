using AgentVault.Broker.Access;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Management;

/// <summary>
/// <c>/v1/tokens</c>: mint scoped tokens (admin, or an agent token whose agent has <c>can_mint</c> and the vault), list, revoke.
/// Tokens minted without an agent by the admin are recorded under the agent name <see cref="AdminAgent"/>.
/// </summary>
internal static class TokenEndpoints
{
    /// <summary>Owner recorded for scoped tokens the admin mints without naming an agent (not a valid agent name, so it never collides).</summary>
    public const string AdminAgent = "(admin)";

    public static void MapMint(RouteGroupBuilder v1) => v1.MapPost("/tokens", MintAsync);

    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/tokens", ListAsync);
        admin.MapDelete("/tokens/{id}", DeleteAsync);
    }

    private static async Task<IResult> MintAsync(HttpRequest request, [FromServices] IConfigStateProvider state, [FromServices] ConfigWriter writer, [FromServices] TokenIssuer issuer, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        // A person (or the admin token) mints for a vault they administer; an agent with can_mint for one of its vaults.
        var caller = await CallerResolver.ResolveAsync(request.HttpContext);
        var isAdmin = caller is not null;
        var minter = isAdmin ? null : AgentTokenLookup.Find(state.Current, BearerToken.Read(request), time.GetUtcNow());
        if (!isAdmin && minter is null)
        {
            return ProblemResults.Unauthorized("an admin token or an agent token is required (Authorization: Bearer <token>)");
        }

        var (body, problem) = await JsonBody.ReadAsync<TokenBody>(request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        if (string.IsNullOrEmpty(body.Vault))
        {
            return ProblemResults.ValidationFailed([new("vault", "vault is required")]);
        }

        if (!TtlRules.TryParse(body.Ttl, TtlRules.ScopedDefault, TtlRules.ScopedMax, out var ttl, out var ttlError))
        {
            return ProblemResults.ValidationFailed([new("ttl", ttlError)]);
        }

        // Checked again under the write lock against the newest state, so a grant withdrawn a moment ago is not used to mint.
        return await writer.ExclusiveAsync(
            async ct =>
            {
                var latest = state.Current;
                if (caller is not null && VaultAccess.Refusal(caller, latest.Config, body.Vault, VaultRole.Admin) is { } forbidden)
                {
                    return ProblemResults.Forbidden(forbidden);
                }

                // A token minted in an agent's name is recorded under that agent: only someone who manages the agent (an admin
                // of each of its vaults) may do that, or a vault admin could act under another vault's agent.
                if (caller is not null && body.Agent is not null && AgentRefusal(caller, latest.Config, body.Agent) is { } notYours)
                {
                    return ProblemResults.Forbidden(notYours);
                }

                var (grant, refusal) = Authorize(latest, body, minter is null ? null : AgentTokenLookup.Find(latest, BearerToken.Read(request), time.GetUtcNow()), isAdmin);
                if (grant is null)
                {
                    return refusal!;
                }

                var issued = await issuer.IssueScopedAsync(grant.Owner, grant.Vault, grant.MintedBy, body.Label, ttl, grant.NotAfter, ct);
                AuditNote.Set(request.HttpContext, new(
                    Vault: grant.Vault.Name,
                    Target: "tokens/" + issued.Record.Id,
                    Summary: $"minted scoped token {issued.Record.Id} for {grant.Owner} in vault {grant.Vault.Name}, expires {issued.Record.ExpiresAt:u}"));
                return Results.Json(new ScopedTokenAnswer(issued.Record.Id, issued.Token, body.Vault, issued.Record.ExpiresAt), ModelJson.Options, statusCode: StatusCodes.Status201Created);
            },
            cancellationToken);
    }

    private static string? AgentRefusal(Caller caller, ConfigDocument config, string agentName) =>
        AccessPolicy.IsOwner(caller, config) || config.Agents?.Find(a => a.Name == agentName) is not { } agent
            ? null
            : (agent.Vaults ?? []).Select(v => VaultAccess.Refusal(caller, config, v, VaultRole.Admin)).FirstOrDefault(r => r is not null)
              ?? (agent.Vaults is { Count: > 0 } ? null : "this needs the owner role (the agent has no vault)");

    private static (MintGrant? Grant, IResult? Problem) Authorize(ConfigState current, TokenBody body, TokenRecord? minter, bool isAdmin)
    {
        var vault = current.Config.Vaults?.Find(v => v.Name == body.Vault);
        if (!isAdmin)
        {
            var agent = minter is null ? null : current.Config.Agents?.Find(a => a.Name == minter.Agent);
            if (minter is null || minter.Kind != TokenIssuer.AgentKind || agent is null || agent.CanMint != true || agent.Vaults?.Contains(body.Vault!) != true ||
                vault is null || (body.Agent is not null && body.Agent != agent.Name))
            {
                return (null, ProblemResults.Forbidden($"this token may not mint tokens for vault '{body.Vault}' (needs an agent token whose agent has can_mint and the vault)"));
            }

            // A minted token never outlives the token that minted it, and dies with it and with the agent's grant.
            return (new MintGrant(agent.Name, vault, minter.Id, minter.ExpiresAt), null);
        }

        if (vault is null)
        {
            return (null, ProblemResults.NotFound($"vault '{body.Vault}' does not exist"));
        }

        if (body.Agent is not null && current.Config.Agents?.Exists(a => a.Name == body.Agent) != true)
        {
            return (null, ProblemResults.NotFound($"agent '{body.Agent}' does not exist"));
        }

        return (new MintGrant(body.Agent ?? AdminAgent, vault, null, null), null);
    }

    private static async Task<IResult> ListAsync([FromServices] ITokenRepository tokens, CancellationToken cancellationToken) =>
        Results.Json((await tokens.ListAsync(cancellationToken)).Select(TokenView.From).ToList(), ModelJson.Options);

    private sealed record MintGrant(string Owner, VaultDefinition Vault, string? MintedBy, DateTimeOffset? NotAfter);

    private static async Task<IResult> DeleteAsync(string id, [FromServices] ConfigWriter writer, [FromServices] ITokenRepository tokens, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        var revoked = await writer.ExclusiveAsync(ct => tokens.RevokeAsync(id, time.GetUtcNow(), ct), cancellationToken);
        return revoked ? Results.NoContent() : ProblemResults.NotFound($"token '{id}' does not exist");
    }
}
