using System.Text;

namespace AgentVault.Broker.Auth;

/// <summary>One validated substitution: the placeholder the agent sends, the credential key that replaces it, and where.</summary>
internal sealed class CompiledSubstitution
{
    public CompiledSubstitution(string key, string placeholder, SubstitutionSurfaces surfaces)
    {
        Key = key;
        Placeholder = placeholder;
        PlaceholderBytes = Encoding.ASCII.GetBytes(placeholder);
        Surfaces = surfaces;
    }

    public string Key { get; }

    /// <summary>Only RFC 3986 unreserved characters, so it reads the same raw, percent-encoded, form-encoded and in JSON.</summary>
    public string Placeholder { get; }

    public byte[] PlaceholderBytes { get; }

    public SubstitutionSurfaces Surfaces { get; }

    public bool Has(SubstitutionSurfaces surface) => (Surfaces & surface) != 0;

    public override string ToString() => $"{Placeholder} → <{Key}> in {Surfaces}";
}
