using AgentVault.Broker.Model;

namespace AgentVault.Broker.Policy;

/// <summary>
/// The compiled <c>rules.approve</c> of a service: a request that matches one of them waits for a person's decision
/// (docs/approvals.md). Matched like deny rules (every reading of the path, every method the request claims), so a
/// request is held when any reading could be the guarded one. A service without approve rules has none of this
/// (<see cref="Compile"/> returns null), so its requests pay nothing.
/// </summary>
internal sealed class ApprovalRules
{
    private readonly (PathRule? Rule, string Text)[] _rules;

    private ApprovalRules((PathRule? Rule, string Text)[] rules) => _rules = rules;

    /// <summary>The compiled rules, or null when the service has none.</summary>
    public static ApprovalRules? Compile(RulesDefinition? rules)
    {
        if (rules?.Approve is not { Count: > 0 } approve)
        {
            return null;
        }

        // An unparsable entry (validation refuses it, so this only guards against a bypass) holds every request: fail closed.
        return new ApprovalRules(approve.Select(text => (PathRule.TryParse(text), (text ?? string.Empty).Trim())).ToArray());
    }

    /// <summary>The first rule (as written) that <paramref name="methods"/> on <paramref name="path"/> match, or null.</summary>
    public string? Match(IEnumerable<string> methods, RequestPath path)
    {
        foreach (var method in methods)
        {
            foreach (var (rule, text) in _rules)
            {
                if (rule is null || rule.Matches(method, path.Segments) || (path.HasLooseReading && rule.Matches(method, path.Loose)) ||
                    (path.HasSpreadReading && rule.Matches(method, path.Spread)))
                {
                    return text;
                }
            }
        }

        return null;
    }

    public override string ToString() => $"approve [{string.Join(", ", _rules.Select(r => r.Text))}]";
}
