using System.CommandLine;

namespace AgentVault.Broker.Cli.Commands;

/// <summary>The options of <c>vault service add</c> that only apply with <c>--from-catalog ID</c> (docs/catalog.md).</summary>
internal sealed class CatalogAddOptions
{
    public Option<string> FromCatalog { get; } = new("--from-catalog") { Description = "Add the services of this catalog template (see 'agent-vault catalog list')", HelpName = "ID" };

    public Option<string[]> Credential { get; } = new("--credential") { Description = "With --from-catalog: also set the vault's credential KEY to reference REF (repeatable)", HelpName = "KEY=REF" };

    public Option<string> Preset { get; } = new("--preset") { Description = "With --from-catalog: the template's rule preset, e.g. read-only", HelpName = "NAME" };

    public Option<string[]> Param { get; } = new("--param") { Description = "With --from-catalog: a host parameter of the template, e.g. site=acme (repeatable)", HelpName = "NAME=VALUE" };

    public Option<string[]> Key { get; } = new("--key") { Description = "With --from-catalog: use another credential key than the template's, e.g. GITHUB_TOKEN=GH_BOT_TOKEN (repeatable)", HelpName = "TEMPLATE_KEY=KEY" };

    public Option<bool> Replace { get; } = new("--replace") { Description = "With --from-catalog: replace services of the same name instead of refusing" };

    public CatalogAddRequest Read(ParseResult result, string vault, string templateId, string? name, string[] hosts, string? rateLimit, bool json) => new()
    {
        Vault = vault,
        TemplateId = templateId,
        Name = name,
        Preset = result.GetValue(Preset),
        Credentials = Pairs(result.GetValue(Credential), "--credential"),
        Keys = Pairs(result.GetValue(Key), "--key"),
        Parameters = Pairs(result.GetValue(Param), "--param"),
        Hosts = HostOverrides(hosts),
        RateLimit = rateLimit,
        Replace = result.GetValue(Replace),
        Json = json,
    };

    /// <summary>Refuses the catalog-only options on a plain <c>service add</c>, where they would be silently ignored.</summary>
    public void RefuseWithoutTemplate(ParseResult result)
    {
        if (result.GetValue(Credential) is { Length: > 0 } || result.GetValue(Preset) is not null || result.GetValue(Param) is { Length: > 0 } ||
            result.GetValue(Key) is { Length: > 0 } || result.GetValue(Replace))
        {
            throw new CliException("--credential, --preset, --param, --key and --replace need --from-catalog ID", ExitCodes.Usage);
        }
    }

    private static Dictionary<string, string> Pairs(string[]? arguments, string option)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var argument in arguments ?? [])
        {
            var (key, value) = KeyValueArgs.Split(argument, option);
            if (!pairs.TryAdd(key, value))
            {
                throw new CliException($"{option}: '{key}' is given twice", ExitCodes.Usage);
            }
        }

        return pairs;
    }

    // A host pattern never contains '=', so SERVICE=HOST and a bare HOST cannot be confused.
    private static Dictionary<string, string> HostOverrides(string[] hosts)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var host in hosts)
        {
            var equals = host.IndexOf('=', StringComparison.Ordinal);
            var (service, pattern) = equals < 0 ? (string.Empty, host) : (host[..equals].Trim(), host[(equals + 1)..]);
            if (!overrides.TryAdd(service, pattern))
            {
                throw new CliException($"--host: {(service.Length == 0 ? "more than one host without SERVICE=" : $"service '{service}' is given twice")}", ExitCodes.Usage);
            }
        }

        return overrides;
    }
}
