using AgentVault.Broker.Cli;
using Xunit;

namespace AgentVault.Broker.Tests.Cli;

public sealed class CliDocumentsTests
{
    [Fact]
    public void UnreadableDocument_IsACliErrorWithExitCode1_AndTheReason()
    {
        var path = Path.Combine(Path.GetTempPath(), "agent-vault-cli-documents-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, "a: 1\n---\nb: 2\n");
        try
        {
            var error = Assert.Throws<CliException>(() => CliDocuments.ReadFile(path));

            Assert.Equal(1, error.ExitCode);
            Assert.Contains("2 YAML documents", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingFile_IsACliError()
    {
        var error = Assert.Throws<CliException>(() => CliDocuments.ReadFile("/nonexistent/agent-vault.yaml"));

        Assert.StartsWith("cannot read /nonexistent/agent-vault.yaml", error.Message, StringComparison.Ordinal);
    }
}
