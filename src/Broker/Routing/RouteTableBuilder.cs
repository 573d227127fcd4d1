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
    private Dictionary<string, (IAuthScheme? Scheme, string? Error)>? _pending;

    private readonly List<(string Path, string Message)>? _failures;

    /// <param name="failures">When given (a candidate build before a write), an unexpected exception from a plugin is recorded
    /// here with the service's configuration path and the build goes on, so every such error is reported; otherwise it propagates.</param>
    public RouteTableBuilder(IReadOnlyDictionary<string, IAuthSchemeFactory> factories, HttpClient pluginClient, ILoggerFactory loggerFactory, TimeProvider timeProvider,
        List<(string Path, string Message)>? failures = null)
    {
        _failures = failures;
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

    /// <summary>
    /// Builds the table without committing it: <see cref="Commit"/> makes its scheme instances the reusable ones. When the build
    /// throws (plugin code), the instances it created are in <see cref="Orphans"/> for the caller to dispose and nothing changes.
    /// Not thread-safe (the publisher serialises builds).
    /// </summary>
    public RouteTable Build(ConfigDocument config, long version)
    {
        _pending = null;
        var next = new Dictionary<string, (IAuthScheme? Scheme, string? Error)>(StringComparer.Ordinal);
        try
        {
            var table = Compile(config, version, next);
            _pending = next;
            return table;
        }
        catch
        {
            Orphans = Created(next);
            throw;
        }
    }

    /// <summary>Makes the last successful <see cref="Build"/> current; <see cref="Dropped"/> then lists what it no longer uses.</summary>
    public void Commit()
    {
        var next = _pending ?? throw new InvalidOperationException("Nothing was built.");
        var kept = next.Values.Select(v => v.Scheme).OfType<IAuthScheme>().ToHashSet(ReferenceEqualityComparer.Instance);
        Dropped = _schemes.Values.Select(v => v.Scheme).OfType<IAuthScheme>().Where(s => !kept.Contains(s)).Distinct(ReferenceEqualityComparer.Instance).Cast<IAuthScheme>().ToArray();
        _schemes = next;
        _pending = null;
    }

    /// <summary>Scheme instances the last uncommitted <see cref="Build"/> created (to dispose when it is abandoned).</summary>
    public IReadOnlyList<IAuthScheme> Abandon()
    {
        var created = _pending is null ? [] : Created(_pending);
        _pending = null;
        return created;
    }

    /// <summary>Scheme instances a failed <see cref="Build"/> had created (the caller disposes them).</summary>
    public IReadOnlyList<IAuthScheme> Orphans { get; private set; } = [];

    private IAuthScheme[] Created(Dictionary<string, (IAuthScheme? Scheme, string? Error)> next)
    {
        var existing = _schemes.Values.Select(v => v.Scheme).OfType<IAuthScheme>().ToHashSet(ReferenceEqualityComparer.Instance);
        return next.Values.Select(v => v.Scheme).OfType<IAuthScheme>().Where(s => !existing.Contains(s)).Distinct(ReferenceEqualityComparer.Instance).Cast<IAuthScheme>().ToArray();
    }

    private RouteTable Compile(ConfigDocument config, long version, Dictionary<string, (IAuthScheme? Scheme, string? Error)> next)
    {
        var vaults = new Dictionary<string, VaultRoutes>(StringComparer.Ordinal);
        var vaultIndex = -1;
        foreach (var vault in config.Vaults ?? [])
        {
            vaultIndex++;
            var credentialsKey = JsonSerializer.Serialize(vault.Credentials, ModelJson.Options);
            var routes = new List<ServiceRoute>();
            var order = 0;
            var serviceIndex = -1;
            foreach (var service in vault.Services ?? [])
            {
                serviceIndex++;
                if (!HostPattern.TryParse(service.Host, out var pattern, out var error))
                {
                    RoutingLog.InvalidServiceHost(_logger, vault.Name, service.Name, error);
                    continue;
                }

                var schemeKey = vault.Name + "/" + service.Name + "\n" + service.Auth?.ToJsonString() + "\n" + credentialsKey;
                if (!next.TryGetValue(schemeKey, out var scheme) && !_schemes.TryGetValue(schemeKey, out scheme))
                {
                    scheme = CreateScheme(vault.Name, service, $"vaults[{vaultIndex}].services[{serviceIndex}].auth");
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
                    Approve = Policy.ApprovalRules.Compile(service.Rules),
                    ApprovalTimeout = Policy.ApprovalTimeout.Resolve(service.ApprovalTimeout),
                    RateLimit = Policy.RateLimitSpec.TryParse(service.RateLimit, out var rate) ? rate : null,
                    Redact = RedactionModes.Parse(service.Redact),
                    Definition = service,
                });
            }

            vaults[vault.Name] = new VaultRoutes(vault.Name, string.Equals(vault.Unmatched, "passthrough", StringComparison.OrdinalIgnoreCase), routes);
        }

        return new RouteTable(vaults.ToFrozenDictionary(StringComparer.Ordinal), version);
    }

    private (IAuthScheme? Scheme, string? Error) CreateScheme(string vault, ServiceDefinition service, string path)
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
        catch (Exception ex) when (_failures is not null && ex is not (ArgumentException or InvalidOperationException or FormatException or AuthSchemeException))
        {
            // The type only: a plugin's message may quote its settings.
            _failures.Add((path, $"auth scheme '{type}' failed to start ({ex.GetType().Name}); the server log has the details"));
            RoutingLog.AuthSchemeFailed(_logger, vault, service.Name, type, ex);
            return (null, "failed");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or AuthSchemeException)
        {
            var error = $"auth scheme '{type}' could not be created ({ex.GetType().Name})";
            RoutingLog.AuthSchemeUnavailable(_logger, vault, service.Name, error);
            return (null, error);
        }
    }
}
