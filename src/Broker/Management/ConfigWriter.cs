using AgentVault.Broker.Model;
using AgentVault.Broker.Snapshots;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Management;

/// <summary>
/// The one path for configuration and token writes: under a single lock, load the document with its version, edit a copy,
/// validate the whole, build its runtime snapshot (a change that cannot be built is refused with every error), save it on condition that the version has not moved (compare-and-swap in the database, so instances
/// sharing it never overwrite each other's changes), run follow-up work (tokens), then reload the in-memory state so the
/// proxy sees the change at once. A write with <c>If-Match</c> goes ahead only from that version and answers 409 otherwise;
/// a write without it that loses the race to another instance is planned again on the configuration that instance left
/// (so it includes that change), at most <see cref="MaxAttempts"/> times, then answers 409.
/// </summary>
internal sealed class ConfigWriter(IConfigRepository repository, IConfigStateProvider state, ConfigValidator validator, SnapshotCandidates candidates,
    ILogger<ConfigWriter> logger) : IDisposable
{
    /// <summary>How often a write without <c>If-Match</c> is planned before it gives up with 409.</summary>
    public const int MaxAttempts = 5;

    private readonly SemaphoreSlim _gate = new(1, 1);

    public Task<IResult> EditAsync(HttpRequest request, Func<ConfigDocument, ConfigEdit> edit, CancellationToken cancellationToken) =>
        EditAsync(request, document => Task.FromResult(edit(document)), cancellationToken);

    /// <summary>Edits under the request's <c>If-Match</c> (a malformed one is 400).</summary>
    public async Task<IResult> EditAsync(HttpRequest request, Func<ConfigDocument, Task<ConfigEdit>> edit, CancellationToken cancellationToken)
    {
        if (!IfMatch.TryRead(request, out var precondition))
        {
            return ProblemResults.BadRequest("If-Match must be * or a list of quoted entity tags, e.g. If-Match: \"42\" (the ETag of a read)");
        }

        return await EditAsync(precondition, edit, cancellationToken);
    }

    public async Task<IResult> EditAsync(IfMatch? precondition, Func<ConfigDocument, Task<ConfigEdit>> edit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var loaded = await repository.LoadVersionedAsync(cancellationToken);
                if (precondition is not null && !precondition.Matches(loaded.Version))
                {
                    return ProblemResults.VersionConflict(
                        $"the configuration changed since the version in If-Match; it is now at {ConfigETag.Format(loaded.Version)}: read it again and retry", loaded.Version);
                }

                var outcome = await edit(ConfigDocuments.Clone(loaded.Document));
                if (outcome.Refused)
                {
                    return outcome.Result!;
                }

                if (outcome.Document is null)
                {
                    return new ETagResult(outcome.Result!, loaded.Version);
                }

                var errors = validator.Validate(outcome.Document);
                if (errors.Count > 0)
                {
                    var map = outcome.MapErrorPath;
                    return ProblemResults.ValidationFailed(map is null ? errors : [.. errors.Select(e => e with { Path = map(e.Path) })]);
                }

                // Built before it is saved (SPEC §11): a change the broker could not publish is never stored, so never half-applied.
                var buildErrors = await candidates.CheckAsync(outcome.Document, state.Current.Tokens);
                if (buildErrors.Count > 0)
                {
                    var map = outcome.MapErrorPath;
                    return ProblemResults.ValidationFailed([.. buildErrors.Select(e => new ValidationError(map is null ? e.Path : map(e.Path), e.Message))]);
                }

                if (outcome.DryRun)
                {
                    return new ETagResult(outcome.Result!, loaded.Version);
                }

                // Once saving starts, finish the write even if the client goes away: the state must follow the database.
                var saved = await repository.SaveAsync(outcome.Document, loaded.Version, CancellationToken.None);
                if (saved.Saved)
                {
                    var result = outcome.Then is null ? outcome.Result! : await outcome.Then(CancellationToken.None);
                    await state.ReloadAsync(CancellationToken.None);
                    return new ETagResult(result, saved.Version);
                }

                ManagementLog.ConfigWriteRaced(logger, loaded.Version, saved.Version, attempt);
                if (precondition is not null || outcome.RefusedIfRaced || attempt >= MaxAttempts)
                {
                    return ProblemResults.VersionConflict(
                        $"another writer changed the configuration while this write was being saved (it is now at {ConfigETag.Format(saved.Version)}); nothing was changed: retry",
                        saved.Version);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs token work (mint, revoke) under the same lock and reloads the state afterwards. Token writes bump the change
    /// version (so other instances reload) but not the configuration version: they never make a configuration write conflict.
    /// </summary>
    public async Task<T> ExclusiveAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var result = await work(CancellationToken.None);
            await state.ReloadAsync(CancellationToken.None);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
