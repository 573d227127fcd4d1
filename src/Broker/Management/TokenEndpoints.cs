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
        var isAdmin = AdminAuthFilter.IsAdmin(request.HttpContext);
        var current = state.Current;
        var minter = isAdmin ? null : AgentTokenLookup.Find(current, BearerToken.Read(request), time.GetUtcNow());
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

        string owner;
        DateTimeOffset? notAfter = null;
        if (minter is not null)
        {
            var agent = current.Config.Agents?.Find(a => a.Name == minter.Agent);
            if (minter.Kind != TokenIssuer.AgentKind || agent is null || agent.CanMint != true || agent.Vaults?.Contains(body.Vault) != true ||
                (body.Agent is not null && body.Agent != agent.Name))
            {
                return ProblemResults.Forbidden($"this token may not mint tokens for vault '{body.Vault}' (needs an agent token whose agent has can_mint and the vault)");
            }

            owner = agent.Name;

            // A minted token never outlives the token that minted it.
            notAfter = minter.ExpiresAt;
        }
        else
        {
            if (current.Config.Vaults?.Exists(v => v.Name == body.Vault) != true)
            {
                return ProblemResults.NotFound($"vault '{body.Vault}' does not exist");
            }

            if (body.Agent is not null && current.Config.Agents?.Exists(a => a.Name == body.Agent) != true)
            {
                return ProblemResults.NotFound($"agent '{body.Agent}' does not exist");
            }

            owner = body.Agent ?? AdminAgent;
        }

        var issued = await writer.ExclusiveAsync(ct => issuer.IssueAsync(owner, TokenIssuer.ScopedKind, body.Vault, body.Label, ttl, notAfter, ct), cancellationToken);
        return Results.Json(new ScopedTokenAnswer(issued.Record.Id, issued.Token, body.Vault, issued.Record.ExpiresAt), ModelJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync([FromServices] ITokenRepository tokens, CancellationToken cancellationToken) =>
        Results.Json((await tokens.ListAsync(cancellationToken)).Select(TokenView.From).ToList(), ModelJson.Options);

    private static async Task<IResult> DeleteAsync(string id, [FromServices] ConfigWriter writer, [FromServices] ITokenRepository tokens, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        var revoked = await writer.ExclusiveAsync(ct => tokens.RevokeAsync(id, time.GetUtcNow(), ct), cancellationToken);
        return revoked ? Results.NoContent() : ProblemResults.NotFound($"token '{id}' does not exist");
    }
}
