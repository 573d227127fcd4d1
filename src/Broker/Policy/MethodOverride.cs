using Microsoft.AspNetCore.Http;

namespace AgentVault.Broker.Policy;

/// <summary>
/// The methods a request is judged as: its own, and every method it claims through the override conventions that
/// frameworks honour (Rails, Laravel, Express method-override, ASP.NET, Google APIs): the headers
/// <c>X-HTTP-Method-Override</c>, <c>X-HTTP-Method</c> and <c>X-Method-Override</c>, and the <c>_method</c> query
/// parameter. Every header value and comma-separated item counts, and every <c>_method</c> occurrence (name and value
/// percent-decoded once, '+' read as a space), so a <c>POST</c> claiming <c>DELETE</c> cannot pass a rule that refuses
/// <c>DELETE</c>.
/// </summary>
internal static class MethodOverride
{
    private static readonly string[] Headers = ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"];

    public static List<string> Methods(string method, IHeaderDictionary headers, string rawQuery)
    {
        var methods = new List<string> { method };
        foreach (var name in Headers)
        {
            foreach (var value in headers[name])
            {
                AddItems(methods, value);
            }
        }

        if (rawQuery.Contains("_method", StringComparison.OrdinalIgnoreCase) || rawQuery.Contains('%', StringComparison.Ordinal))
        {
            foreach (var pair in rawQuery.TrimStart('?').Split('&', ';'))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Decode(eq < 0 ? pair : pair[..eq]).Trim();
                if (eq >= 0 && name.Equals("_method", StringComparison.OrdinalIgnoreCase))
                {
                    AddItems(methods, Decode(pair[(eq + 1)..]));
                }
            }
        }

        return methods;
    }

    private static string Decode(string component) => PercentDecoding.Decode(component.Replace('+', ' '));

    private static void AddItems(List<string> methods, string? value)
    {
        foreach (var item in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            methods.Add(item);
        }
    }
}
