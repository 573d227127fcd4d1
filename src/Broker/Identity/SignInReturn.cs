using System.Globalization;

namespace AgentVault.Broker.Identity;

/// <summary>
/// Where a sign-in returns to: a console path (<c>/ui…</c>), or the CLI's loopback listener. Anything else becomes
/// <c>/ui</c>, so a crafted return address can never send a person, or a code, to another site.
/// </summary>
internal sealed record SignInReturn(string? ConsolePath, int? CliPort, string? CliState, string? CliChallenge)
{
    private const string CliMarker = "cli:";

    public static string Console(string? target) =>
        target is not null && target.StartsWith("/ui", StringComparison.Ordinal) && !target.Contains("//", StringComparison.Ordinal) && !target.Contains('\\')
            ? target
            : "/ui";

    /// <summary>The state kept through the identity provider for a CLI sign-in (it holds no secret: the challenge is a hash).</summary>
    public static string Cli(int port, string state, string challenge) => $"{CliMarker}{port.ToString(CultureInfo.InvariantCulture)}:{state}:{challenge}";

    public static SignInReturn Parse(string? stored)
    {
        if (stored is not null && stored.StartsWith(CliMarker, StringComparison.Ordinal))
        {
            var parts = stored[CliMarker.Length..].Split(':');
            if (parts.Length == 3 && IsPort(parts[0], out var port) && IsState(parts[1]) && CliLoginCodes.IsChallenge(parts[2]))
            {
                return new(null, port, parts[1], parts[2]);
            }
        }

        return new(Console(stored), null, null, null);
    }

    public static bool IsPort(string? text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1024 and <= 65535;

    public static bool IsState(string? text) => text is { Length: > 0 and <= 100 } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
