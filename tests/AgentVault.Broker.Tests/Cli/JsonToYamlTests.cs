using System.Text.Json.Nodes;
using AgentVault.Broker.Documents;

namespace AgentVault.Broker.Tests.Cli;

public sealed class JsonToYamlTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("8200")]
    [InlineData("1.5")]
    [InlineData("true")]
    [InlineData("off")]
    [InlineData("yes")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData(" padded ")]
    [InlineData("key: value")]
    [InlineData("# not a comment")]
    [InlineData("- not a list")]
    [InlineData("*.github.com")]
    [InlineData("&anchor")]
    [InlineData("line\nbreak")]
    [InlineData("quote\"and'apostrophe")]
    [InlineData("token ")]
    [InlineData("{{ KEY }}")]
    [InlineData("hcv:secret/data/github#token")]
    public void Strings_SurviveARoundTripAsStrings(string value)
    {
        var json = new JsonObject { ["settings"] = new JsonObject { ["v"] = value }, ["name"] = value };

        var yaml = JsonToYaml.Write(json);
        var back = YamlToJson.Parse("x: 1\n" + yaml, "t.yaml");

        Assert.Equal(value, back["name"]!.GetValue<string>());
        Assert.Equal(value, back["settings"]!["v"]!.GetValue<string>());
    }

    [Fact]
    public void Document_IsBlockStyleInKeyOrder()
    {
        var json = JsonNode.Parse("""{"vaults":[{"name":"dev","credentials":{"B":"local:b","A":{"ref":"local:a","ttl":"30s"}},"services":[]}],"agents":[{"name":"claude","vaults":["dev"],"can_mint":true}]}""");

        var yaml = JsonToYaml.Write(json);

        Assert.Equal(
            """
            vaults:
              - name: dev
                credentials:
                  B: local:b
                  A:
                    ref: local:a
                    ttl: 30s
                services: []
            agents:
              - name: claude
                vaults:
                  - dev
                can_mint: true

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            yaml);
    }

    [Fact]
    public void Numbers_StayNumbersInFreeFormSettings()
    {
        var yaml = JsonToYaml.Write(JsonNode.Parse("""{"stores":[{"name":"a","type":"x","settings":{"port":8200,"tls":false}}]}"""));

        var back = YamlToJson.Parse(yaml, "t.yaml");

        Assert.Equal(8200, back["stores"]![0]!["settings"]!["port"]!.GetValue<long>());
        Assert.False(back["stores"]![0]!["settings"]!["tls"]!.GetValue<bool>());
    }
}
