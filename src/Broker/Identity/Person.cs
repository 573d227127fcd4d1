using System.Security.Claims;

namespace AgentVault.Broker.Identity;

/// <summary>
/// A person as an identity provider vouched for them: the verified email (lower case) and the <c>groups</c> claim. Built from
/// validated claims only; an email the provider marks unverified, or none at all, is no identity here.
/// </summary>
internal sealed record Person(string Email, IReadOnlyList<string> Groups)
{
    public const int MaxGroups = 200;

    /// <summary>The person in <paramref name="claims"/>, or why there is none (a sentence for the person).</summary>
    public static (Person? Person, string? Problem) From(IEnumerable<Claim> claims)
    {
        var list = claims.ToList();
        var email = list.FirstOrDefault(c => c.Type == "email")?.Value?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > 256 || email.IndexOf('@', StringComparison.Ordinal) < 1 || email.Any(char.IsWhiteSpace))
        {
            return (null, "the identity provider sent no email address (ask for the email scope)");
        }

        if (list.FirstOrDefault(c => c.Type == "email_verified")?.Value is { } verified && !string.Equals(verified, "true", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "the identity provider says this email address is not verified");
        }

        var groups = list.Where(c => c.Type == "groups").Select(c => c.Value).Where(g => g.Length is > 0 and <= 256).Distinct(StringComparer.Ordinal).Take(MaxGroups).ToList();
        return (new Person(email.ToLowerInvariant(), groups), null);
    }

    public override string ToString() => $"person {Email}";
}
