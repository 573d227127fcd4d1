using System.Text.Json.Nodes;
using AgentVault.Broker.Documents;

namespace AgentVault.Broker.Cli;

/// <summary>Reads a configuration document for a command: a document that cannot be read is a CLI error (exit 1, the reason on stderr).</summary>
internal static class CliDocuments
{
    public static JsonNode ReadFile(string path)
    {
        try
        {
            return YamlToJson.ReadFile(path);
        }
        catch (DocumentFormatException e)
        {
            throw new CliException(e.Message);
        }
    }
}
