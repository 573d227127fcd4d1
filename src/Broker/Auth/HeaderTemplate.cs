using System.Text;
using AgentVault.Abstractions.Auth;

namespace AgentVault.Broker.Auth;

/// <summary>A header value template of the <c>custom</c> scheme: literal text with <c>{{ KEY }}</c> credential placeholders.</summary>
internal sealed class HeaderTemplate
{
    // Even entries are literals, odd entries are credential keys: lit0 {{k0}} lit1 {{k1}} lit2 ...
    private readonly string[] _parts;

    private HeaderTemplate(string[] parts) => _parts = parts;

    /// <summary>The credential keys the template uses, in order of appearance (may repeat).</summary>
    public IEnumerable<string> Keys => _parts.Where((_, i) => i % 2 == 1);

    /// <summary>Parses <paramref name="template"/>; returns null and an operator-readable <paramref name="error"/> when malformed.</summary>
    public static HeaderTemplate? TryParse(string template, out string? error)
    {
        var parts = new List<string>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                literal.Append(template, i, template.Length - i);
                break;
            }

            literal.Append(template, i, open - i);
            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                error = "has a '{{' without a matching '}}'";
                return null;
            }

            var key = template[(open + 2)..close].Trim();
            if (!CredentialKeys.IsValid(key))
            {
                error = "has a placeholder that is not a credential key in UPPER_SNAKE_CASE ({{ KEY }})";
                return null;
            }

            parts.Add(literal.ToString());
            parts.Add(key);
            literal.Clear();
            i = close + 2;
        }

        parts.Add(literal.ToString());
        if (parts.Any(p => !HeaderValues.IsSafeValue(p)))
        {
            error = "must not contain CR, LF or NUL";
            return null;
        }

        error = null;
        return new HeaderTemplate([.. parts]);
    }

    /// <summary>Resolves every key and builds the value; each credential value is registered for redaction.</summary>
    public async ValueTask<string> RenderAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        if (_parts.Length == 1)
        {
            return _parts[0];
        }

        var result = new StringBuilder(_parts[0]);
        for (var i = 1; i < _parts.Length; i += 2)
        {
            var value = await request.Credentials.GetAsync(_parts[i], cancellationToken);
            HeaderValues.EnsureSafe(value, _parts[i]);
            request.AddInjectedValue(value);
            result.Append(value).Append(_parts[i + 1]);
        }

        return result.ToString();
    }

    public override string ToString() =>
        string.Concat(_parts.Select((p, i) => i % 2 == 1 ? "{{ " + p + " }}" : p));
}
