using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace AgentVault.Broker.Approvals;

/// <summary>
/// The live standing grants, keyed by vault, agent, service and rule. A lookup is one dictionary read (the proxy asks only for
/// requests an approve rule matched); expired grants are dropped when met and when listed.
/// </summary>
internal sealed class StandingGrants
{
    /// <summary>Longest approval "for a while"; longer would be a rule change, which belongs in the configuration.</summary>
    public static readonly TimeSpan MaxFor = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<(string Vault, string Agent, string Service, string Rule), StandingGrant> _grants = new();
    private readonly TimeProvider _time;

    public StandingGrants(TimeProvider time) => _time = time;

    /// <summary>The live grant covering this agent, service and rule, or null.</summary>
    public StandingGrant? Find(string vault, string agent, string service, string rule)
    {
        // TryGetValue takes no lock (IsEmpty would take them all when the dictionary is empty).
        if (!_grants.TryGetValue((vault, agent, service, rule), out var grant))
        {
            return null;
        }

        if (grant.IsLive(_time.GetUtcNow()))
        {
            return grant;
        }

        _grants.TryRemove(KeyValuePair.Create((vault, agent, service, rule), grant));
        return null;
    }

    /// <summary>Grants the held request's agent its rule for <paramref name="duration"/>; replaces an earlier grant of the same key.</summary>
    public StandingGrant Add(HeldRequest held, TimeSpan duration, string by)
    {
        var now = _time.GetUtcNow();
        var grant = new StandingGrant("grt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), held.Vault, held.Agent, held.Service, held.Rule, now, now + duration, by);
        _grants[(held.Vault, held.Agent, held.Service, held.Rule)] = grant;
        return grant;
    }

    /// <summary>The live grants, soonest to expire first.</summary>
    public IReadOnlyList<StandingGrant> List()
    {
        var now = _time.GetUtcNow();
        foreach (var entry in _grants.Where(e => !e.Value.IsLive(now)))
        {
            _grants.TryRemove(entry);
        }

        return [.. _grants.Select(e => e.Value).Where(g => g.IsLive(now)).OrderBy(g => g.Expires)];
    }

    /// <summary>Ends a grant at once; false when no live grant has that id.</summary>
    public bool Revoke(string id)
    {
        foreach (var entry in _grants.Where(e => e.Value.Id == id))
        {
            if (_grants.TryRemove(entry))
            {
                return entry.Value.IsLive(_time.GetUtcNow());
            }
        }

        return false;
    }
}
