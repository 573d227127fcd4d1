using System.Security.Cryptography;
using AgentVault.Broker.Access;
using AgentVault.Broker.Management;
using AgentVault.Broker.Model;
using AgentVault.Broker.Notifications;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Proposals;

/// <summary>
/// Agents' proposals (SPEC §12): created with an agent token and checked at once (a proposal that could never be applied is
/// refused then, not on approval); decided by a person with the admin token (the routes are behind the admin filter, so an
/// agent token can never approve, not even its own proposal). Approval is one versioned configuration write.
/// </summary>
internal sealed class ProposalService(
    IConfigStateProvider state,
    IProposalRepository repository,
    ConfigWriter writer,
    IPluginCatalog plugins,
    ConfigValidator validator,
    INotificationPublisher notifications,
    TimeProvider time,
    ILogger<ProposalService> logger)
{

    public async Task<IResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var current = state.Current;
        var now = time.GetUtcNow();
        var token = AgentTokenLookup.Find(current, BearerToken.Read(request), now);
        if (token is null)
        {
            return ProblemResults.Unauthorized("a valid agent or scoped token is required (Authorization: Bearer avt_…)");
        }

        var (body, problem) = await JsonBody.ReadAsync<ProposalBody>(request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var (vaultName, vaultProblem) = AgentTokenLookup.ChooseVault(current, token, body.Vault);
        if (vaultName is null)
        {
            return vaultProblem!;
        }

        var vault = current.Config.Vaults?.Find(v => v.Name == vaultName);
        if (vault is null)
        {
            return ProblemResults.NotFound($"vault '{vaultName}' is not available to this token");
        }

        var errors = new List<ValidationError>();
        var changes = ProposalChecks.Check(body, vault, current.Config, errors);
        if (errors.Count == 0)
        {
            ProposalChecks.CheckServices(changes, vault, errors, validator);
        }

        if (errors.Count > 0)
        {
            return ProblemResults.ValidationFailed(errors);
        }

        var stored = changes.ToJson();
        if (System.Text.Encoding.UTF8.GetByteCount(stored) > ProposalLimits.MaxChangesBytes)
        {
            return ProblemResults.ValidationFailed([new("services", $"the proposal is larger than {ProposalLimits.MaxChangesBytes / 1024} KiB; propose fewer or smaller services")]);
        }

        var record = new ProposalRecord
        {
            Id = "prp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)),
            Vault = vault.Name,
            Agent = token.Agent,
            Status = ProposalRecord.Pending,
            Message = body.Message!.Trim(),
            Changes = stored,
            CreatedAt = now,
            ExpiresAt = now + ProposalLimits.Lifetime,
        };
        if (!await repository.TryInsertAsync(record, ProposalLimits.PendingPerVault, ProposalLimits.PendingPerAgent, cancellationToken))
        {
            return ProblemResults.TooManyPending(
                $"vault '{vault.Name}' already has {ProposalLimits.PendingPerVault} pending proposals, or this agent {ProposalLimits.PendingPerAgent} there; " +
                $"wait until a person decides on them (they expire after {ProposalLimits.Lifetime.TotalDays:0} days)");
        }

        var view = View(record, now);
        var review = view.Review;
        ProposalLog.Created(logger, record.Agent, record.Id, record.Vault, changes.Services.Count, changes.Credentials.Count);
        foreach (var warning in review?.Warnings ?? [])
        {
            ProposalLog.Warning(logger, record.Id, record.Agent, record.Vault, warning.Message);
        }

        AuditNote.Set(request.HttpContext, new(Vault: record.Vault, Target: "proposals/" + record.Id, Summary: Summary(record, changes, null)));
        notifications.Publish(new NotificationEvent(NotificationEvents.ProposalCreated, record.Id, record.Vault, record.Agent,
            Summary(record, changes, review), "/ui/proposals/" + record.Id));

        // The agent gets its proposal without the review: that names where existing credentials are sent, which is the people's business.
        return Results.Json(view with { Review = null }, ModelJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary><c>GET /v1/proposals/{id}</c>: the admin, or the agent that proposed it (anyone else gets 404, as for an unknown id).</summary>
    public async Task<IResult> GetAsync(HttpContext context, string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // A person who may view the proposal's vault (or the admin token), or the agent that proposed it.
        var caller = await CallerResolver.ResolveAsync(context);
        var admin = caller is not null;
        var token = admin ? null : AgentTokenLookup.Find(state.Current, BearerToken.Read(context.Request), now);
        if (!admin && token is null)
        {
            return ProblemResults.Unauthorized("a valid admin, agent or scoped token is required");
        }

        var record = await repository.GetAsync(id, cancellationToken);
        if (record is null || (!admin && (record.Agent != token!.Agent || (token.Vault is { } scoped && scoped != record.Vault))))
        {
            return NotFound(id);
        }

        if (admin && VaultAccess.Refusal(caller!, state.Current.Config, record.Vault, VaultRole.Viewer) is { } refusal)
        {
            return ProblemResults.Forbidden(refusal);
        }

        var view = View(record, now);
        return Results.Json(admin ? view : view with { Review = null }, ModelJson.Options);
    }

    public async Task<IResult> ListAsync(HttpContext context, string? vault, string? status, CancellationToken cancellationToken)
    {
        if (status is not null and not (ProposalRecord.Pending or ProposalRecord.Approved or ProposalRecord.Rejected or ProposalRecord.Expired))
        {
            return ProblemResults.BadRequest("status must be pending, approved, rejected or expired");
        }

        var now = time.GetUtcNow();
        var records = await repository.ListAsync(vault, ProposalLimits.ListLimit, cancellationToken);
        var visible = AccessPolicy.VisibleVaults(CallerResolver.Admitted(context), state.Current.Config);
        var items = records.Where(r => (status is null || r.StatusAt(now) == status) && (visible is null || visible.Contains(r.Vault))).Select(r => View(r, now)).ToList();
        return Results.Json(new { Items = items }, ModelJson.Options);
    }

    public async Task<IResult> ApproveAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadDecisionAsync(request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var record = await repository.GetAsync(id, cancellationToken);
        if (record is null)
        {
            return NotFound(id);
        }

        if (VaultAccess.Check(request.HttpContext, state.Current.Config, record.Vault, VaultRole.Admin) is { } forbidden)
        {
            return forbidden;
        }

        var actor = CallerResolver.Admitted(request.HttpContext).Actor;
        AuditNote.Set(request.HttpContext, new(Vault: record.Vault, Summary: $"approved proposal {record.Id} of agent {record.Agent} for vault {record.Vault}"));
        var changes = ProposalChanges.FromJson(record.Changes);
        var given = body.Credentials ?? [];
        var unknown = given.Keys.Where(k => !changes.Credentials.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return ProblemResults.BadRequest($"the proposal does not ask for {string.Join(", ", unknown)}; approve names references only for the credentials it asks for");
        }

        var missing = changes.Credentials.Where(c => c.Value.Ref is null && !given.ContainsKey(c.Key)).Select(c => c.Key).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            return ProblemResults.BadRequest(
                $"the proposal needs a reference for {string.Join(", ", missing)}: approve with credentials {{\"KEY\": \"store:path\"}} (CLI: --credential KEY=store:path)");
        }

        // The decision is claimed before the configuration is written (one conditional update), so a rejection or a second
        // approval racing this one, here or on another instance, fails with 409; a write that does not happen gives it back.
        var claimed = false;
        var saved = false;
        var decidedAt = DateTimeOffset.MinValue;
        try
        {
            return await writer.EditAsync(request, async document =>
            {
                if (!claimed)
                {
                    decidedAt = time.GetUtcNow();
                    if (!await repository.TryDecideAsync(id, ProposalRecord.Approved, decidedAt, actor, null, CancellationToken.None))
                    {
                        var current = await repository.GetAsync(id, CancellationToken.None);
                        return ConfigEdit.Refuse(current is null ? NotFound(id) : AlreadyDecided(id, current.StatusAt(decidedAt)));
                    }

                    claimed = true;
                }

                var index = ConfigDocuments.IndexOf(document.Vaults, v => v.Name, record.Vault);
                if (index < 0)
                {
                    return ConfigEdit.Refuse(ProblemResults.Conflict($"vault '{record.Vault}' no longer exists; reject the proposal"));
                }

                var vault = document.Vaults![index];
                var taken = changes.Services.Select(s => s.Name).Where(n => vault.Services?.Exists(s => s.Name == n) == true).ToList();
                var existingKeys = changes.Credentials.Keys.Where(k => vault.Credentials?.ContainsKey(k) == true).ToList();
                if (taken.Count > 0 || existingKeys.Count > 0)
                {
                    return ConfigEdit.Refuse(ProblemResults.Conflict(
                        $"vault '{vault.Name}' has since gained {string.Join(", ", taken.Select(n => "service " + n).Concat(existingKeys.Select(k => "credential " + k)))}; reject the proposal and ask the agent to propose again"));
                }

                var credentials = new Dictionary<string, CredentialDefinition>(vault.Credentials ?? [], StringComparer.Ordinal);
                foreach (var (key, credential) in changes.Credentials)
                {
                    credentials[key] = new CredentialDefinition { Ref = given.TryGetValue(key, out var reference) ? reference : credential.Ref! };
                }

                document.Vaults[index] = vault with { Credentials = credentials, Services = [.. vault.Services ?? [], .. changes.Services] };
                return ConfigEdit.Save(document, async ct =>
                {
                    saved = true;
                    var after = await repository.GetAsync(id, ct) ?? record;
                    Decided(after, changes, "approved");
                    return Results.Json(View(after, decidedAt), ModelJson.Options);
                });
            }, cancellationToken);
        }
        finally
        {
            if (claimed && !saved)
            {
                await repository.UndoApprovalAsync(id, CancellationToken.None);
            }
        }
    }

    public async Task<IResult> RejectAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadDecisionAsync(request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var reason = body.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > ProposalLimits.MaxReasonLength)
        {
            return ProblemResults.BadRequest($"a reason is required (at most {ProposalLimits.MaxReasonLength} characters): the agent reads it");
        }

        if (body.Credentials is not null)
        {
            return ProblemResults.BadRequest("a rejection takes only a reason");
        }

        var target = await repository.GetAsync(id, cancellationToken);
        if (target is not null && VaultAccess.Check(request.HttpContext, state.Current.Config, target.Vault, VaultRole.Admin) is { } forbidden)
        {
            return forbidden;
        }

        var actor = CallerResolver.Admitted(request.HttpContext).Actor;
        AuditNote.Set(request.HttpContext, new(Vault: target?.Vault, Summary: $"rejected proposal {id}: {reason}"));
        var now = time.GetUtcNow();
        if (!await repository.TryDecideAsync(id, ProposalRecord.Rejected, now, actor, reason, cancellationToken))
        {
            var record = await repository.GetAsync(id, cancellationToken);
            return record is null ? NotFound(id) : AlreadyDecided(id, record.StatusAt(now));
        }

        var rejected = (await repository.GetAsync(id, cancellationToken))!;
        Decided(rejected, ProposalChanges.FromJson(rejected.Changes), "rejected");
        return Results.Json(View(rejected, now), ModelJson.Options);
    }

    /// <summary>The proposal read against its vault as it is now.</summary>
    public ProposalView View(ProposalRecord record, DateTimeOffset now)
    {
        var config = state.Current.Config;
        return ProposalView.Of(record, now, changes => ProposalReviewer.Review(changes, config, record.Vault, plugins.AuthSchemes));
    }

    private void Decided(ProposalRecord record, ProposalChanges changes, string decision)
    {
        var by = record.DecidedBy ?? Caller.AdminTokenActor;
        ProposalLog.Decided(logger, record.Id, record.Vault, decision, by);
        notifications.Publish(new NotificationEvent(NotificationEvents.ProposalDecided, record.Id, record.Vault, record.Agent,
            $"{decision}: {Summary(record, changes, null)}", "/ui/proposals/" + record.Id, decision, by));
    }

    /// <summary>One line for a notification: who asks for which hosts, and how many warnings (names and hosts only).</summary>
    private static string Summary(ProposalRecord record, ProposalChanges changes, ProposalReview? review)
    {
        var hosts = changes.Services.Count == 0 ? "credentials " + string.Join(", ", changes.Credentials.Keys) : string.Join(", ", changes.Services.Select(s => $"{s.Host} ({s.Name})"));
        var warnings = review is { Warnings.Count: > 0 } ? $" — {review.Warnings.Count} warning(s): {review.Warnings[0].Message}" : string.Empty;
        return $"{record.Agent} asks vault {record.Vault} for {hosts}{warnings}";
    }

    private static async Task<(ProposalDecisionBody? Body, IResult? Problem)> ReadDecisionAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0))
        {
            return (new ProposalDecisionBody(), null);
        }

        return await JsonBody.ReadAsync<ProposalDecisionBody>(request, cancellationToken);
    }

    private static IResult NotFound(string id) => ProblemResults.NotFound($"no proposal '{id}'");

    private static IResult AlreadyDecided(string id, string status) => ProblemResults.Conflict($"proposal '{id}' is {status}; only a pending proposal can be decided");
}
