using System.Text;
using System.Text.Json;

namespace AgentVault.Plugins.GitHubApp;

/// <summary>Extracts GitHub's error <c>message</c> for an operator, as short printable text that cannot carry the JWT or a token.</summary>
internal static class GitHubErrorMessage
{
    private const int MaxLength = 200;

    public static string? From(JsonDocument? document, string appJwt)
    {
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object ||
            !document.RootElement.TryGetProperty("message", out var element) || element.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var message = element.GetString() ?? string.Empty;
        var builder = new StringBuilder(Math.Min(message.Length, MaxLength));
        foreach (var c in message)
        {
            if (builder.Length == MaxLength)
            {
                builder.Append('…');
                break;
            }

            builder.Append(c is >= ' ' and <= '~' ? c : ' ');
        }

        var text = builder.ToString().Trim();
        // GitHub does not echo credentials, but a proxy or a look-alike server in between might: never repeat one.
        var jwtParts = appJwt.Split('.');
        if (text.Length == 0 || jwtParts.Any(p => p.Length >= 16 && text.Contains(p, StringComparison.Ordinal)) ||
            text.Contains("-----BEGIN", StringComparison.Ordinal) || text.Contains("ghs_", StringComparison.Ordinal))
        {
            return null;
        }

        return text;
    }
}
