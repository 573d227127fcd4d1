using AgentVault.Broker.Model;

namespace AgentVault.Broker.Policy;

/// <summary>
/// The compiled <c>rules</c> of a service (built once per route-table rebuild): deny wins; with an allow list, anything
/// not allowed is refused. See <see cref="RequestPath"/> for how the request path is read.
/// </summary>
internal sealed class RuleSet
{
    private readonly PathRule[] _allow;
    private readonly PathRule[] _deny;
    private readonly bool _hasAllowList;
    private readonly bool _denyAll;

    private RuleSet(PathRule[] allow, PathRule[] deny, bool hasAllowList, bool denyAll)
    {
        _allow = allow;
        _deny = deny;
        _hasAllowList = hasAllowList;
        _denyAll = denyAll;
    }

    /// <summary>No rules: everything is allowed.</summary>
    public static RuleSet Empty { get; } = new([], [], false, false);

    public bool IsEmpty => !_hasAllowList && _deny.Length == 0 && !_denyAll;

    /// <summary>
    /// Compiles validated rules. Fails closed on anything unparsable: a broken deny entry denies everything, a broken
    /// allow entry allows nothing (validation refuses both at apply time, so this only guards against a bypass).
    /// </summary>
    public static RuleSet Compile(RulesDefinition? rules)
    {
        if (rules is null || (rules.Allow is null && (rules.Deny is null || rules.Deny.Count == 0)))
        {
            return Empty;
        }

        var deny = (rules.Deny ?? []).Select(PathRule.TryParse).ToArray();
        var allow = (rules.Allow ?? []).Select(PathRule.TryParse).Where(r => r is not null).ToArray();
        return new RuleSet(allow!, deny.Where(r => r is not null).ToArray()!, rules.Allow is not null, deny.Any(r => r is null));
    }

    /// <summary>True when <paramref name="method"/> on <paramref name="escapedPath"/> (as sent, percent-encoded, query ignored) may pass.</summary>
    public bool IsAllowed(string method, string escapedPath)
    {
        if (IsEmpty)
        {
            return true;
        }

        if (_denyAll)
        {
            return false;
        }

        var (strict, loose) = RequestPath.Segments(escapedPath);
        var same = strict.SequenceEqual(loose, StringComparer.Ordinal);
        foreach (var rule in _deny)
        {
            if (rule.Matches(method, strict) || (!same && rule.Matches(method, loose)))
            {
                return false;
            }
        }

        if (!_hasAllowList)
        {
            return true;
        }

        foreach (var rule in _allow)
        {
            if (rule.Matches(method, strict) && (same || _allow.Any(r => r.Matches(method, loose))))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => $"allow [{string.Join(", ", _allow.Select(r => r.ToString()))}] deny [{string.Join(", ", _deny.Select(r => r.ToString()))}]";
}
