using System.Globalization;
using System.Text.Json.Nodes;

namespace AgentVault.Testing.Fakes.Infisical;

/// <summary>Static secrets of the fake Infisical, by environment, folder and name, with versions.</summary>
internal sealed class FakeInfisicalSecrets
{
    private readonly object _sync = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<(string Environment, string Folder, string Name), List<string>> _secrets = [];

    public FakeInfisicalSecrets(TimeProvider time) => _time = time;

    public int Set(string environment, string folder, string name, string value)
    {
        lock (_sync)
        {
            var key = (environment, Normalize(folder), name);
            if (!_secrets.TryGetValue(key, out var versions))
            {
                versions = [];
                _secrets[key] = versions;
            }

            versions.Add(value);
            return versions.Count;
        }
    }

    public FakeInfisicalReply Get(string projectId, string name, string? workspaceId, string? environment, string? secretPath, string? versionText)
    {
        if (!string.Equals(workspaceId, projectId, StringComparison.Ordinal))
        {
            return FakeInfisicalReply.Error(403, "PermissionDenied", "You are not allowed to access this project");
        }

        lock (_sync)
        {
            var folder = Normalize(secretPath ?? "/");
            if (environment is null || !_secrets.TryGetValue((environment, folder, name), out var versions))
            {
                return FakeInfisicalReply.NotFound($"Secret with name '{name}' not found");
            }

            var number = versions.Count;
            if (versionText is not null && (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1 || number > versions.Count))
            {
                return FakeInfisicalReply.NotFound($"Secret version {versionText} of '{name}' not found");
            }

            var now = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
            var id = Guid.NewGuid().ToString();
            return FakeInfisicalReply.Ok(new JsonObject
            {
                ["secret"] = new JsonObject
                {
                    ["_id"] = id,
                    ["id"] = id,
                    ["workspace"] = projectId,
                    ["workspaceId"] = projectId,
                    ["environment"] = environment,
                    ["version"] = number,
                    ["type"] = "shared",
                    ["secretKey"] = name,
                    ["secretValue"] = versions[number - 1],
                    ["secretComment"] = string.Empty,
                    ["secretPath"] = folder,
                    ["secretValueHidden"] = false,
                    ["isRotatedSecret"] = false,
                    ["createdAt"] = now,
                    ["updatedAt"] = now,
                    ["tags"] = new JsonArray(),
                },
            });
        }
    }

    private static string Normalize(string folder) => "/" + folder.Trim('/');
}
