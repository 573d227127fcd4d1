using System.Text.Json.Nodes;
using AgentVault.Broker.Documents;

namespace AgentVault.Broker.Tests.Cli;

public sealed class YamlToJsonTests
{
    [Theory]
    [InlineData("stores:\n  - name: a\n    type: file\n    cache: { ttl: 30, max_stale: 0 }\n", "/stores/0/cache/max_stale", "\"0\"")]
    [InlineData("stores:\n  - name: a\n    type: file\n    cache: { ttl: 30, max_stale: 0 }\n", "/stores/0/cache/ttl", "\"30\"")]
    [InlineData("stores:\n  - name: a\n    type: x\n    settings: { port: 8200, tls: true, ratio: 0.5 }\n", "/stores/0/settings/port", "8200")]
    [InlineData("stores:\n  - name: a\n    type: x\n    settings: { port: 8200, tls: true, ratio: 0.5 }\n", "/stores/0/settings/tls", "true")]
    [InlineData("stores:\n  - name: a\n    type: x\n    settings: { port: 8200, tls: true, ratio: 0.5 }\n", "/stores/0/settings/ratio", "0.5")]
    [InlineData("stores:\n  - name: a\n    type: x\n    settings: { port: \"8200\" }\n", "/stores/0/settings/port", "\"8200\"")]
    [InlineData("agents:\n  - name: a\n    can_mint: true\n    max_in_flight: 8\n", "/agents/0/max_in_flight", "8")]
    [InlineData("agents:\n  - name: a\n    can_mint: true\n    max_in_flight: 8\n", "/agents/0/can_mint", "true")]
    [InlineData("vaults:\n  - name: v\n    services:\n      - name: s\n        host: h.example\n        redact: off\n        enabled: false\n", "/vaults/0/services/0/redact", "\"off\"")]
    [InlineData("vaults:\n  - name: v\n    services:\n      - name: s\n        host: h.example\n        redact: off\n        enabled: false\n", "/vaults/0/services/0/enabled", "false")]
    [InlineData("vaults:\n  - name: v\n    credentials:\n      K: { ref: \"local:k\", ttl: 0 }\n", "/vaults/0/credentials/K/ttl", "\"0\"")]
    [InlineData("vaults:\n  - name: v\n    unmatched: ~\n", "/vaults/0/unmatched", "null")]
    [InlineData("vaults:\n  - name: 123\n", "/vaults/0/name", "\"123\"")]
    public void Scalars_FollowTheModelTypes(string yaml, string path, string expectedJson)
    {
        var node = YamlToJson.Parse(yaml, "test.yaml");

        Assert.Equal(expectedJson, Find(node, path)?.ToJsonString() ?? "null");
    }

    [Fact]
    public void SpecExample_ParsesIntoTheDocumentShape()
    {
        const string yaml = """
            stores:
              - name: hcv
                type: hashicorp-vault
                settings: { address: "https://vault.internal:8200", auth: { method: approle, role_id: "env:VAULT_ROLE_ID" } }
            vaults:
              - name: dev
                credentials:
                  GITHUB_TOKEN: "hcv:secret/data/github#token"
                services:
                  - name: github
                    host: api.github.com
                    auth: { type: bearer, token: GITHUB_TOKEN }
                    rules: { allow: ["GET /repos/**"] }
            """;

        var node = YamlToJson.Parse(yaml, "spec.yaml");

        Assert.Equal("approle", Find(node, "/stores/0/settings/auth/method")!.GetValue<string>());
        Assert.Equal("hcv:secret/data/github#token", Find(node, "/vaults/0/credentials/GITHUB_TOKEN")!.GetValue<string>());
        Assert.Equal("GET /repos/**", Find(node, "/vaults/0/services/0/rules/allow/0")!.GetValue<string>());
    }

    [Theory]
    [InlineData("vaults:\n  - name: dev\n    unmatched: [deny\n", "broken.yaml:")]
    [InlineData("a: 1\na: 2\n", "broken.yaml:")]
    [InlineData("", "is empty")]
    [InlineData("# only a comment\n", "is empty")]
    [InlineData("a: 1\n---\nb: 2\n", "2 YAML documents")]
    public void BadInput_IsACliErrorWithLocation(string yaml, string expected)
    {
        var error = Assert.Throws<DocumentFormatException>(() => YamlToJson.Parse(yaml, "broken.yaml"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntaxError_ReportsLineAndColumnWithoutYamlDotNetMarks()
    {
        var error = Assert.Throws<DocumentFormatException>(() => YamlToJson.Parse("vaults:\n  - name: dev\n   bad: [\n", "f.yaml"));

        Assert.Matches(@"^f\.yaml:\d+:\d+: [^(]", error.Message);
    }

    [Fact]
    public void AliasBomb_IsRefused()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 0; i < 6; i++)
        {
            var previous = (char)('a' + i);
            var next = (char)('b' + i);
            yaml += $"{next}: &{next} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n";
        }

        var error = Assert.Throws<DocumentFormatException>(() => YamlToJson.Parse(yaml, "bomb.yaml"));

        Assert.Contains("too large", error.Message, StringComparison.Ordinal);
    }

    // Fuzz crash inputs (fuzz/corpus/config): an alias inside the collection it names made a cycle, and the conversion
    // recursed until the stack overflowed, killing the process.
    [Theory]
    [InlineData("a: &x [*x]\n")]
    [InlineData("&x {a: *x}\n")]
    [InlineData("a: &x [b, [c, *x]]\n")]
    public void AliasInsideItself_IsACliError(string yaml)
    {
        var error = Assert.Throws<DocumentFormatException>(() => YamlToJson.Parse(yaml, "loop.yaml"));

        Assert.Contains("nested more than 64 levels", error.Message, StringComparison.Ordinal);
    }

    // Fuzz crash inputs (config target): YamlDotNet threw ArgumentException / InvalidOperationException, not YamlException,
    // and the CLI died with a stack trace.
    [Theory]
    [InlineData("\ufffd:  *d\"\ufffd\u0000  *d\"\ufffd\u0000")]
    [InlineData("\ufffd\ufffd \ufffd2d     \u0008d\ufffdny: [\"* /{\"\ufffdgent\u0003 *\u000b1 *\ufffd\u000dv  \ufffd \ufffd ,\ufffd\u0000 0a\ufffdlt\ufffd\u0007")]
    public void InputYamlDotNetFailsOnWithoutYamlException_IsACliError(string yaml)
    {
        var error = Assert.Throws<DocumentFormatException>(() => YamlToJson.Parse(yaml, "broken.yaml"));

        Assert.Contains("broken.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepNesting_IsACliError()
    {
        var yaml = new string('[', 200) + new string(']', 200) + "\n";

        Assert.Throws<DocumentFormatException>(() => YamlToJson.Parse(yaml, "deep.yaml"));
    }

    private static JsonNode? Find(JsonNode? node, string path)
    {
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node switch
            {
                JsonObject obj => obj[part],
                JsonArray array => array[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)],
                _ => throw new InvalidOperationException($"no {part} in {node?.ToJsonString()}"),
            };
        }

        return node;
    }
}
