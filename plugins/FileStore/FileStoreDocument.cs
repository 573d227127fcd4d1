using System.Text.Json.Serialization;

namespace AgentVault.Plugins.FileStore;

/// <summary>The plaintext inside the encrypted file: a format version and the secrets by name.</summary>
internal sealed class FileStoreDocument
{
    [JsonPropertyName("version")]
    public int Version { get; set; }

    [JsonPropertyName("secrets")]
    public Dictionary<string, string>? Secrets { get; set; }
}
