using AgentVault.Broker.Model;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Access;

/// <summary>
/// Records the audit trail (SPEC §14): every management change and decision, with who made it. Entries hold names and
/// references only. Kept like the request log: trimmed to <c>--log-retention</c> entries. Subscribers (<see cref="Recorded"/>:
/// audit sinks, followers) see each entry once it is stored.
/// </summary>
public sealed class AuditTrail(IAuditRepository repository, TimeProvider time, ServerOptions options, ILogger<AuditTrail> logger)
{
    /// <summary>Entries appended between two trims of the table.</summary>
    private const int TrimEvery = 256;

    private int _sinceTrim;

    /// <summary>Raised after an entry is stored (on the recording thread; handlers must not block).</summary>
    public event Action<AuditEntry>? Recorded;

    /// <summary>
    /// Appends one entry. A failure to store it is logged (without the entry's summary) and does not undo the change it
    /// describes, which has happened already.
    /// </summary>
    public async Task RecordAsync(Caller caller, string action, string target, string? vault, string summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var entry = new AuditEntry { Time = time.GetUtcNow(), Actor = caller.Actor, Action = action, Target = target, Vault = vault, Summary = summary };
        try
        {
            entry = await repository.AppendAsync(entry, CancellationToken.None);
            if (Interlocked.Increment(ref _sinceTrim) % TrimEvery == 0)
            {
                await repository.TrimAsync(options.LogRetention, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            AccessLog.AuditWriteFailed(logger, action, target, ex.GetType().Name);
            return;
        }

        Recorded?.Invoke(entry);
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken) => repository.QueryAsync(query, cancellationToken);
}
