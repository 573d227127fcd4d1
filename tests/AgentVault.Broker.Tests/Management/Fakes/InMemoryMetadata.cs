using System.Text.Json;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>Configuration document, tokens and the state snapshot held in memory, stored as JSON like a real repository.</summary>
internal sealed class InMemoryMetadata : IConfigRepository, IConfigStateProvider, ITokenRepository
{
    private readonly Lock _lock = new();
    private readonly List<TokenRecord> _tokens = [];
    private readonly Dictionary<string, string> _vaultIds = new(StringComparer.Ordinal);
    private byte[] _document = JsonSerializer.SerializeToUtf8Bytes(new ConfigDocument(), ModelJson.Options);
    private long _version;
    private long _configVersion;
    private int _races;
    private Func<ConfigDocument, ConfigDocument>? _otherWriter;

    public ConfigState Current { get; private set; } = ConfigState.Empty;

    public int Saves { get; private set; }

    public event Action<ConfigState>? Changed;

    public Task<ConfigDocument> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Stored());
        }
    }

    public Task<VersionedConfig> LoadVersionedAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(new VersionedConfig(Stored(), _configVersion));
        }
    }

    public Task SaveAsync(ConfigDocument document, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Store(document);
            _version++;
            _configVersion++;
            Saves++;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> compare-and-swap saves lose a race: just before each, another writer saves
    /// <paramref name="otherWriter"/>'s edit of the stored document, as a second instance on the same database would.
    /// </summary>
    public void RaceNextSaves(int count, Func<ConfigDocument, ConfigDocument> otherWriter)
    {
        lock (_lock)
        {
            _races = count;
            _otherWriter = otherWriter;
        }
    }

    public Task<ConfigSaveResult> SaveAsync(ConfigDocument document, long expectedVersion, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_races > 0 && _otherWriter is not null)
            {
                _races--;
                Store(_otherWriter(Stored()));
                _version++;
                _configVersion++;
            }

            if (_configVersion != expectedVersion)
            {
                return Task.FromResult(new ConfigSaveResult(false, _configVersion));
            }

            Store(document);
            _version++;
            Saves++;
            return Task.FromResult(new ConfigSaveResult(true, ++_configVersion));
        }
    }

    // Like the databases: each vault carries the identity it got when a vault of its name was created. Call under the lock.
    private ConfigDocument Stored()
    {
        var document = JsonSerializer.Deserialize<ConfigDocument>(_document, ModelJson.Options)!;
        return document with { Vaults = document.Vaults?.Select(v => v with { Id = _vaultIds.GetValueOrDefault(v.Name) }).ToList() };
    }

    private void Store(ConfigDocument document)
    {
        _document = JsonSerializer.SerializeToUtf8Bytes(document, ModelJson.Options);
        var names = (document.Vaults ?? []).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _vaultIds.Keys.Where(name => !names.Contains(name)).ToList())
        {
            _vaultIds.Remove(gone);
        }

        foreach (var name in names)
        {
            _vaultIds.TryAdd(name, "vlt_" + Guid.NewGuid().ToString("N"));
        }
    }

    public Task<long> GetVersionAsync(CancellationToken cancellationToken) => Task.FromResult(_version);

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var document = await LoadAsync(cancellationToken);
        ConfigState state;
        lock (_lock)
        {
            state = new ConfigState(_version, document, [.. _tokens]) { ConfigVersion = _configVersion };
        }

        Current = state;
        Changed?.Invoke(state);
    }

    public Task<IReadOnlyList<TokenRecord>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<TokenRecord>>([.. _tokens]);
        }
    }

    public Task InsertAsync(TokenRecord token, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _tokens.Add(token);
            _version++;
        }

        return Task.CompletedTask;
    }

    public Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var index = _tokens.FindIndex(t => t.Id == id);
            if (index < 0)
            {
                return Task.FromResult(false);
            }

            _tokens[index] = _tokens[index] with { RevokedAt = _tokens[index].RevokedAt ?? at };
            _version++;
            return Task.FromResult(true);
        }
    }

    public Task<int> RevokeAgentTokensAsync(string agent, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var count = 0;
            for (var i = 0; i < _tokens.Count; i++)
            {
                if (_tokens[i].Agent == agent && _tokens[i].RevokedAt is null)
                {
                    _tokens[i] = _tokens[i] with { RevokedAt = at };
                    count++;
                }
            }

            _version++;
            return Task.FromResult(count);
        }
    }
}
