using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Testing.Fakes.Vault;

/// <summary>KV version 1 and 2 secrets engines of the fake Vault.</summary>
internal sealed class FakeVaultKv
{
    private readonly object _sync = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, List<Kv2Version>> _kv2 = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _kv1 = new(StringComparer.Ordinal);

    public FakeVaultKv(TimeProvider time) => _time = time;

    /// <summary>Writes a new version of <c>mount/path</c> (KV v2) and returns its number.</summary>
    public int WriteV2(string mount, string path, JsonObject data)
    {
        lock (_sync)
        {
            var key = mount + "/" + path;
            if (!_kv2.TryGetValue(key, out var versions))
            {
                versions = [];
                _kv2[key] = versions;
            }

            versions.Add(new Kv2Version((JsonObject)data.DeepClone(), _time.GetUtcNow()));
            return versions.Count;
        }
    }

    public void DeleteV2Version(string mount, string path, int version)
    {
        lock (_sync)
        {
            _kv2[mount + "/" + path][version - 1].Deleted = _time.GetUtcNow();
        }
    }

    public void WriteV1(string mount, string path, JsonObject data)
    {
        lock (_sync)
        {
            _kv1[mount + "/" + path] = (JsonObject)data.DeepClone();
        }
    }

    public FakeVaultReply ReadV2(string mount, string path, string? versionText)
    {
        lock (_sync)
        {
            if (!_kv2.TryGetValue(mount + "/" + path, out var versions) || versions.Count == 0)
            {
                return FakeVaultReply.Error(StatusCodes.Status404NotFound);
            }

            var number = versions.Count;
            if (!string.IsNullOrEmpty(versionText) && versionText != "0")
            {
                if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out number))
                {
                    return FakeVaultReply.Error(StatusCodes.Status400BadRequest, "invalid version");
                }

                if (number < 1 || number > versions.Count)
                {
                    return FakeVaultReply.Error(StatusCodes.Status404NotFound);
                }
            }

            var v = versions[number - 1];
            var metadata = new JsonObject
            {
                ["created_time"] = v.Created.ToString("O", CultureInfo.InvariantCulture),
                ["custom_metadata"] = null,
                ["deletion_time"] = v.Deleted?.ToString("O", CultureInfo.InvariantCulture) ?? string.Empty,
                ["destroyed"] = false,
                ["version"] = number,
            };
            var data = new JsonObject { ["data"] = v.Deleted is null ? v.Data.DeepClone() : null, ["metadata"] = metadata };
            var reply = FakeVaultReply.Secret(data);

            // Vault answers 404 for a deleted version, with the metadata in the body.
            return v.Deleted is null ? reply : reply with { Status = StatusCodes.Status404NotFound };
        }
    }

    public FakeVaultReply WriteV2FromApi(string mount, string path, JsonObject? body)
    {
        if (body?["data"] is not JsonObject data)
        {
            return FakeVaultReply.Error(StatusCodes.Status400BadRequest, "no data provided");
        }

        var version = WriteV2(mount, path, data);
        return new FakeVaultReply(StatusCodes.Status200OK, new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["created_time"] = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
                ["deletion_time"] = string.Empty,
                ["destroyed"] = false,
                ["version"] = version,
            },
        });
    }

    public FakeVaultReply ReadV1(string mount, string path)
    {
        lock (_sync)
        {
            return _kv1.TryGetValue(mount + "/" + path, out var data)
                ? FakeVaultReply.Secret((JsonObject)data.DeepClone(), leaseDuration: 2764800)
                : FakeVaultReply.Error(StatusCodes.Status404NotFound);
        }
    }

    private sealed class Kv2Version(JsonObject data, DateTimeOffset created)
    {
        public JsonObject Data { get; } = data;

        public DateTimeOffset Created { get; } = created;

        public DateTimeOffset? Deleted { get; set; }
    }
}
