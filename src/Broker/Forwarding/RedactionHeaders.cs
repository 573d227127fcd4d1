using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AgentVault.Broker.Forwarding;

/// <summary>Redacts secrets from the response headers the agent will see (after the forwarder copied them).</summary>
internal static class RedactionHeaders
{
    public static void Redact(IHeaderDictionary headers, Redactor redactor)
    {
        if (redactor.IsEmpty)
        {
            return;
        }

        List<(string Name, StringValues Values)>? changed = null;
        foreach (var (name, values) in headers)
        {
            var redacted = new string?[values.Count];
            var any = false;
            for (var i = 0; i < values.Count; i++)
            {
                var value = values[i] ?? string.Empty;
                redacted[i] = redactor.RedactText(value);
                any |= !ReferenceEquals(redacted[i], value);
            }

            if (any)
            {
                (changed ??= []).Add((name, new StringValues(redacted)));
            }
        }

        foreach (var (name, values) in changed ?? [])
        {
            headers[name] = values;
        }
    }
}
