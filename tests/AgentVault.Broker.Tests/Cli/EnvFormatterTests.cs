using System.Diagnostics;
using System.Text.Json;
using AgentVault.Broker.Cli.Agent;

namespace AgentVault.Broker.Tests.Cli;

public sealed class EnvFormatterTests
{
    private static readonly KeyValuePair<string, string>[] Variables =
    [
        new("HTTPS_PROXY", "http://avt_abc-_x:dev@127.0.0.1:14322"),
        new("TRICKY", "it's $HOME and `date` \"quoted\" \\ back"),
        new("NODE_USE_ENV_PROXY", "1"),
        new("NODE_OPTIONS", "--inspect --require \"/home/a b/.cache/agent-vault/node-proxy-preload-0123.cjs\""),
    ];

    [Fact]
    public async Task ShFormat_IsReadBackExactlyByARealShell()
    {
        var script = EnvFormatter.Format(Variables, "sh") + "printf '%s\\n%s\\n%s' \"$HTTPS_PROXY\" \"$TRICKY\" \"$NODE_OPTIONS\"\n";
        var startInfo = new ProcessStartInfo("sh") { RedirectStandardInput = true, RedirectStandardOutput = true };

        using var process = Process.Start(startInfo)!;
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal($"{Variables[0].Value}\n{Variables[1].Value}\n{Variables[3].Value}", output);
    }

    [Fact]
    public void DotenvFormat_QuotesOnlyWhenNeeded()
    {
        var lines = EnvFormatter.Format(Variables, "dotenv").Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("HTTPS_PROXY=http://avt_abc-_x:dev@127.0.0.1:14322", lines[0]);
        Assert.Equal("TRICKY=\"it's \\$HOME and `date` \\\"quoted\\\" \\\\ back\"", lines[1]);
        Assert.Equal("NODE_USE_ENV_PROXY=1", lines[2]);
        Assert.Equal("NODE_OPTIONS=\"--inspect --require \\\"/home/a b/.cache/agent-vault/node-proxy-preload-0123.cjs\\\"\"", lines[3]);
    }

    [Fact]
    public void JsonFormat_IsAnObjectOfStrings()
    {
        using var document = JsonDocument.Parse(EnvFormatter.Format(Variables, "json"));

        Assert.Equal(Variables[1].Value, document.RootElement.GetProperty("TRICKY").GetString());
        Assert.Equal(4, document.RootElement.EnumerateObject().Count());
    }
}
