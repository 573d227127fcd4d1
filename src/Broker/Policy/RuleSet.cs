using AgentVault.Broker.Model;

namespace AgentVault.Broker.Policy;

/// <summary>
/// The compiled <c>rules</c> of a service (built once per route-table rebuild): deny wins; with an allow list, anything
/// not allowed is refused. See <see cref="RequestPath"/> for how the request path is read and <see cref="MethodOverride"/>
/// for the methods a request is judged as.
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

    /// <summary>True when every one of <paramref name="methods"/> (the request's own and any it claims) may pass on <paramref name="path"/>.</summary>
    public bool IsAllowed(IEnumerable<string> methods, RequestPath path)
    {
        if (IsEmpty)
        {
            return true;
        }

        foreach (var method in methods)
        {
            if (!IsAllowed(method, path))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => $"allow [{string.Join(", ", _allow.Select(r => r.ToString()))}] deny [{string.Join(", ", _deny.Select(r => r.ToString()))}]";

    private bool IsAllowed(string method, RequestPath path)
    {
        if (_denyAll)
        {
            return false;
        }

        var strict = path.Segments;
        var loose = path.Loose;
        foreach (var rule in _deny)
        {
            if (rule.Matches(method, strict) || (path.HasLooseReading && rule.Matches(method, loose)) ||
                (path.HasSpreadReading && rule.Matches(method, path.Spread)))
            {
                return false;
            }
        }

        if (!_hasAllowList)
        {
            return true;
        }

        return Array.Exists(_allow, r => r.Matches(method, strict)) &&
            (!path.HasLooseReading || Array.Exists(_allow, r => r.Matches(method, loose)));
    }
}
