using AgentVault.Broker.Cli;

namespace AgentVault.Broker.Tests.Cli;

public sealed class KeyValueArgsTests
{
    [Fact]
    public void DottedKeys_BuildNestedObjects()
    {
        var settings = KeyValueArgs.ToObject(["address=https://vault:8200", "auth.method=approle", "auth.role_id=env:ROLE", "empty="], "--set");

        Assert.Equal("""{"address":"https://vault:8200","auth":{"method":"approle","role_id":"env:ROLE"},"empty":""}""", settings.ToJsonString());
    }

    [Fact]
    public void ValueWithEqualsSign_KeepsEverythingAfterTheFirst()
    {
        var settings = KeyValueArgs.ToObject(["query=a=b&c=d"], "--set");

        Assert.Equal("a=b&c=d", settings["query"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=value")]
    [InlineData("a..b=x")]
    [InlineData(".a=x")]
    public void Malformed_IsAUsageError(string argument)
    {
        var error = Assert.Throws<CliException>(() => KeyValueArgs.ToObject([argument], "--set"));

        Assert.Equal(2, error.ExitCode);
    }

    [Theory]
    [InlineData("auth=x", "auth.method=y")]
    [InlineData("auth.method=y", "auth=x")]
    public void ValueAndNestedKeysForOneName_IsAUsageError(string first, string second)
    {
        var error = Assert.Throws<CliException>(() => KeyValueArgs.ToObject([first, second], "--set"));

        Assert.Equal(2, error.ExitCode);
        Assert.Contains("auth", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedArgument_DoesNotEchoAValue()
    {
        var error = Assert.Throws<CliException>(() => KeyValueArgs.ToObject(["=s3cr3t-value"], "--set"));

        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }
}
