using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Broker.Auth;
using AgentVault.Broker.Model;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Routing;

/// <summary>
/// Compiles a configuration into a <see cref="RouteTable"/>. Auth scheme instances are created here, never per request, and
/// reused across rebuilds while a service's auth settings and its vault's credential references stay the same (so a
/// plugin's cached access token survives unrelated changes such as a token being minted).
/// </summary>
internal sealed class RouteTableBuilder
{
    private readonly IReadOnlyDictionary<string, IAuthSchemeFactory> _factories;
    private readonly HttpClient _pluginClient;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private Dictionary<string, (IAuthScheme? Scheme, string? Error)> _schemes = new(StringComparer.Ordinal);

    public RouteTableBuilder(IReadOnlyDictionary<string, IAuthSchemeFactory> factories, HttpClient pluginClient, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        _factories = factories;
        _pluginClient = pluginClient;
        _loggerFactory = loggerFactory;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger<RouteTableBuilder>();
    }

    /// <summary>Scheme instances the last <see cref="Build"/> no longer uses (the previous tables may still hand them to requests).</summary>
    public IReadOnlyList<IAuthScheme> Dropped { get; private set; } = [];

    /// <summary>Scheme instances the last <see cref="Build"/> uses.</summary>
    public IEnumerable<IAuthScheme> Current => _schemes.Values.Select(v => v.Scheme).OfType<IAuthScheme>().Distinct(ReferenceEqualityComparer.Instance).Cast<IAuthScheme>();

    /// <summary>Builds the table; not thread-safe (the provider serialises rebuilds).</summary>
    public RouteTable Build(ConfigDocument config, long version)
    {
        var next = new Dictionary<string, (IAuthScheme? Scheme, string? Error)>(StringComparer.Ordinal);
        var vaults = new Dictionary<string, VaultRoutes>(StringComparer.Ordinal);
        foreach (var vault in config.Vaults ?? [])
        {
            var credentialsKey = JsonSerializer.Serialize(vault.Credentials, ModelJson.Options);
            var routes = new List<ServiceRoute>();
            var order = 0;
            foreach (var service in vault.Services ?? [])
            {
                if (!HostPattern.TryParse(service.Host, out var pattern, out var error))
                {
                    RoutingLog.InvalidServiceHost(_logger, vault.Name, service.Name, error);
                    continue;
                }

                var schemeKey = vault.Name + "/" + service.Name + "\n" + service.Auth?.ToJsonString() + "\n" + credentialsKey;
                if (!next.TryGetValue(schemeKey, out var scheme) && !_schemes.TryGetValue(schemeKey, out scheme))
                {
                    scheme = CreateScheme(vault.Name, service);
                }

                next[schemeKey] = scheme;
                routes.Add(new ServiceRoute
                {
                    Vault = vault.Name,
                    Name = service.Name,
                    Pattern = pattern,
                    Order = order++,
                    Enabled = service.Enabled ?? true,
                    Path = pattern.PathGlob is { } glob ? PathGlob.Create(glob) : null,
                    Scheme = scheme.Scheme,
                    SchemeError = scheme.Error,
                    HeadersToStrip = scheme.Scheme?.HeadersToStrip ?? [],
                    Substitutions = SubstitutionSet.Compile(service.Substitutions),
                    Rules = Policy.RuleSet.Compile(service.Rules),
                    Redact = Forwarding.RedactionModes.Parse(service.Redact),
                    Definition = service,
                });
            }

            vaults[vault.Name] = new VaultRoutes(vault.Name, string.Equals(vault.Unmatched, "passthrough", StringComparison.OrdinalIgnoreCase), routes);
        }

        var kept = next.Values.Select(v => v.Scheme).OfType<IAuthScheme>().ToHashSet(ReferenceEqualityComparer.Instance);
        Dropped = _schemes.Values.Select(v => v.Scheme).OfType<IAuthScheme>().Where(s => !kept.Contains(s)).Distinct(ReferenceEqualityComparer.Instance).Cast<IAuthScheme>().ToArray();
        _schemes = next;
        return new RouteTable(vaults.ToFrozenDictionary(StringComparer.Ordinal), version);
    }

    private (IAuthScheme? Scheme, string? Error) CreateScheme(string vault, ServiceDefinition service)
    {
        var type = service.Auth?["type"]?.GetValue<string>();
        if (service.Auth is null || string.IsNullOrEmpty(type))
        {
            return (null, null);
        }

        if (!_factories.TryGetValue(type, out var factory))
        {
            var error = $"auth scheme '{type}' is not available (no loaded plugin provides it)";
            RoutingLog.AuthSchemeUnavailable(_logger, vault, service.Name, error);
            return (null, error);
        }

        var settingsObject = (JsonObject)service.Auth.DeepClone();
        settingsObject.Remove("type");
        var settings = new PluginSettings(settingsObject);
        var validation = new SettingsValidation();
        factory.Validate(settings, validation);
        if (!validation.IsValid)
        {
            var error = $"auth scheme '{type}' has invalid settings: " + string.Join("; ", validation.Problems.Select(p => p.Path + ": " + p.Message));
            RoutingLog.AuthSchemeUnavailable(_logger, vault, service.Name, error);
            return (null, error);
        }

        try
        {
            var scheme = factory.Create(new AuthSchemeContext
            {
                VaultName = vault,
                ServiceName = service.Name,
                Settings = settings,
                HttpClient = _pluginClient,
                LoggerFactory = _loggerFactory,
                TimeProvider = _timeProvider,
            });
            return (scheme, null);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or AuthSchemeException)
        {
            var error = $"auth scheme '{type}' could not be created ({ex.GetType().Name})";
            RoutingLog.AuthSchemeUnavailable(_logger, vault, service.Name, error);
            return (null, error);
        }
    }
}
