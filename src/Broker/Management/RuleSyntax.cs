namespace AgentVault.Broker.Management;

/// <summary>Shape of a rules entry: <c>"METHOD /path/glob"</c> with METHOD an HTTP token (RFC 9110 §5.6.2) or <c>*</c>.</summary>
internal static class RuleSyntax
{
    public static bool IsValid(string? rule, out string problem)
    {
        problem = "a rule is \"METHOD /path\" (e.g. \"GET /repos/**\" or \"* /v1/*\")";
        var parts = rule?.Split(' ');
        if (parts is not { Length: 2 } || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return false;
        }

        if (parts[0] != "*" && !parts[0].All(IsTokenChar))
        {
            problem = "the method of a rule must be an HTTP method (GET, POST, …) or *";
            return false;
        }

        if (parts[1][0] != '/' || parts[1].Any(c => char.IsControl(c) || c is '?' or '#'))
        {
            problem = "the path of a rule starts with '/' and has no query or fragment";
            return false;
        }

        return true;
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
