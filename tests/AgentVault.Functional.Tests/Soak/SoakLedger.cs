using System.Collections.Concurrent;
using System.Diagnostics;

namespace AgentVault.Functional.Tests.Soak;

/// <summary>
/// Every request of the soak, judged when its answer arrives: what counts as expected (a refusal of a token being revoked,
/// a limit refusal, a probe's rule denial), what is a failure, which request-log records must exist, and which requests
/// must never have reached the upstream. Thread-safe; figures per kind for the closing note.
/// </summary>
internal sealed class SoakLedger
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _failures = new();
    private long _seq;
    private long _failureCount;
    private long _answered;

    /// <summary>Records the request log must hold, by request number.</summary>
    public ConcurrentDictionary<long, SoakExpectedRecord> Expected { get; } = new();

    /// <summary>Requests refused by the broker: the upstream must not have seen them.</summary>
    public ConcurrentBag<long> Refused { get; } = [];

    public IReadOnlyDictionary<string, long> Counts => _counts;

    public long Failures => Interlocked.Read(ref _failureCount);

    public IReadOnlyList<string> FailureExamples => [.. _failures.Take(30)];

    /// <summary>Requests answered by the broker so far (any status).</summary>
    public long Answered => Interlocked.Read(ref _answered);

    public long NextSeq() => Interlocked.Increment(ref _seq);

    /// <summary>Counts <paramref name="what"/> once (a figure, not a judgement).</summary>
    public void Count(string what) => _counts.AddOrUpdate(what, 1, (_, n) => n + 1);

    public void Fail(string message)
    {
        Interlocked.Increment(ref _failureCount);
        if (_failures.Count < 200)
        {
            _failures.Enqueue(message);
        }
    }

    /// <summary>
    /// Judges the answer to <paramref name="call"/>, sent at <paramref name="started"/> (<see cref="Stopwatch.GetTimestamp"/>)
    /// with <paramref name="identity"/>'s token. <paramref name="label"/> is the kind and transport, for the figures.
    /// </summary>
    public void Record(SoakIdentity identity, SoakCall call, string label, long started, SoakResult result, bool ruleProbe = false)
    {
        if (result.Outcome != SoakOutcome.Failed || result.Status != 0)
        {
            Interlocked.Increment(ref _answered);
        }

        var revoking = identity.RevokingSince;
        var revoked = identity.RevokedAt;
        switch (result.Outcome)
        {
            case SoakOutcome.Ok when revoked != 0 && started > revoked:
                Fail($"{label} {call.Path}: answered {result.Status} with a token revoked before the request was sent");
                break;
            case SoakOutcome.Ok:
                Count(label);
                Expected[call.Seq] = new SoakExpectedRecord(call.Agent, call.Vault, result.Status);
                break;
            case SoakOutcome.AuthRefused when revoking != 0:
                Count($"refused {result.Status} ({(started > revoked && revoked != 0 ? "after" : "during")} revocation)");
                Refused.Add(call.Seq);
                break;
            case SoakOutcome.LimitRefused when revoking != 0:
                // A token being revoked may also meet the auth throttle's 429 (failed authentications per address).
                Count($"refused 429 ({(started > revoked && revoked != 0 ? "after" : "during")} revocation)");
                Refused.Add(call.Seq);
                break;
            case SoakOutcome.LimitRefused:
                var atConnect = result.Detail == SoakRequests.AtConnect;
                Count(atConnect ? "refused 429 (limit, at CONNECT)" : "refused 429 (limit)");
                Refused.Add(call.Seq);
                if (!atConnect)
                {
                    Expected[call.Seq] = new SoakExpectedRecord(call.Agent, call.Vault, 429);
                }

                break;
            case SoakOutcome.RuleDenied when ruleProbe:
                Count("refused 403 (rule probe)");
                Refused.Add(call.Seq);
                Expected[call.Seq] = new SoakExpectedRecord(call.Agent, call.Vault, 403);
                break;
            default:
                Fail($"{label} {call.Path}: {result.Outcome} {result.Status} {result.Detail}");
                break;
        }
    }
}
