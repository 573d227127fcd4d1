using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Management;

/// <summary>
/// The one path for configuration and token writes: under a single lock, load the document, edit a copy, validate the whole,
/// save, run follow-up work (tokens), then reload the in-memory state so the proxy sees the change at once.
/// </summary>
internal sealed class ConfigWriter(IConfigRepository repository, IConfigStateProvider state, ConfigValidator validator) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IResult> EditAsync(Func<ConfigDocument, ConfigEdit> edit, CancellationToken cancellationToken) =>
        await EditAsync(document => Task.FromResult(edit(document)), cancellationToken);

    public async Task<IResult> EditAsync(Func<ConfigDocument, Task<ConfigEdit>> edit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = ConfigDocuments.Clone(await repository.LoadAsync(cancellationToken));
            var outcome = await edit(current);
            if (outcome.Refused || outcome.Document is null)
            {
                return outcome.Result!;
            }

            var errors = validator.Validate(outcome.Document);
            if (errors.Count > 0)
            {
                var map = outcome.MapErrorPath;
                return ProblemResults.ValidationFailed(map is null ? errors : [.. errors.Select(e => e with { Path = map(e.Path) })]);
            }

            // Once saving starts, finish the write even if the client goes away: the state must follow the database.
            await repository.SaveAsync(outcome.Document, CancellationToken.None);
            var result = outcome.Then is null ? outcome.Result! : await outcome.Then(CancellationToken.None);
            await state.ReloadAsync(CancellationToken.None);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs token work (mint, revoke) under the same lock and reloads the state afterwards.</summary>
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
