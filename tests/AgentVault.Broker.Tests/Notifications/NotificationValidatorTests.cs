using System.Text.Json.Nodes;
using AgentVault.Broker.Management;
using AgentVault.Broker.Tests.Management;
using AgentVault.Broker.Tests.Management.Fakes;

namespace AgentVault.Broker.Tests.Notifications;

public sealed class NotificationValidatorTests
{
    private readonly ConfigValidator _validator = new(ManagementPlugins.Catalog());

    [Theory]
    [InlineData("https://hooks.slack.com/services/T0/B0/xyz")]
    [InlineData("https://ops.example.com:8443/agent-vault?team=ops")]
    [InlineData("http://127.0.0.1:9000/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://[::1]:9000/hook")]
    public void AcceptedUrl_HasNoErrors(string url)
    {
        var errors = _validator.Validate(WithNotification(Hook(url: url)));

        Assert.True(errors.Count == 0, string.Join("; ", errors));
    }

    [Theory]
    [InlineData("http://hooks.example.com/x", "http:// only to a loopback host")]
    [InlineData("http://10.0.0.5/x", "http:// only to a loopback host")]
    [InlineData("ftp://hooks.example.com/x", "absolute https:// URL")]
    [InlineData("/relative/hook", "absolute https:// URL")]
    [InlineData("https://user:pw@hooks.example.com/x", "user name or password")]
    [InlineData("https://hooks.example.com/x#frag", "fragment")]
    public void RefusedUrl_IsAnErrorOnUrl(string url, string message)
    {
        var error = Assert.Single(_validator.Validate(WithNotification(Hook(url: url))));

        Assert.Equal("notifications[0].url", error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name", "\"Ops\"", "notifications[0].name", "lower-case")]
    [InlineData("format", "\"teams\"", "notifications[0].format", "generic, slack")]
    [InlineData("events", "[]", "notifications[0].events", "at least one")]
    [InlineData("events", "[\"proposal.created\", \"proposal.deleted\"]", "notifications[0].events[1]", "unknown event")]
    [InlineData("events", "[\"proposal.created\", \"proposal.created\"]", "notifications[0].events[1]", "listed twice")]
    [InlineData("events", "[\"notification.test\"]", "notifications[0].events[0]", "unknown event")]
    [InlineData("secret", "\"nostore:hook\"", "notifications[0].secret", "store 'nostore' is not configured")]
    [InlineData("secret", "\"just-a-value\"", "notifications[0].secret", "store name and a colon")]
    public void InvalidField_IsReportedWithItsPath(string field, string value, string path, string message)
    {
        var hook = Hook();
        hook[field] = JsonNode.Parse(value);

        var error = Assert.Single(_validator.Validate(WithNotification(hook)));

        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretValueInsteadOfAReference_IsNeverEchoed()
    {
        var hook = Hook();
        hook["secret"] = "whsec_plain_value_never_echoed";

        var errors = _validator.Validate(WithNotification(hook));

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.DoesNotContain("whsec_plain_value_never_echoed", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void DuplicateName_IsAnError()
    {
        var document = ConfigJson.Document(ConfigJson.Valid);
        document = document with { Notifications = [.. WithNotification(Hook()).Notifications!, .. WithNotification(Hook()).Notifications!] };

        var error = Assert.Single(_validator.Validate(document));

        Assert.Equal("notifications[1].name", error.Path);
        Assert.Contains("duplicate notification name 'ops'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullEntry_IsAnErrorNotACrash()
    {
        var errors = _validator.Validate(ConfigJson.Document("""{"notifications":[null]}"""));

        Assert.Equal("notifications[0]", Assert.Single(errors).Path);
    }

    private static JsonObject Hook(string url = "https://hooks.example.com/agent-vault") => new()
    {
        ["name"] = "ops",
        ["url"] = url,
        ["secret"] = "local:webhook-secret",
        ["format"] = "generic",
        ["events"] = new JsonArray("proposal.created", "approval.requested"),
    };

    private static Broker.Model.ConfigDocument WithNotification(JsonObject hook)
    {
        var document = JsonNode.Parse(ConfigJson.Valid)!.AsObject();
        document["notifications"] = new JsonArray(hook);
        return ConfigJson.Document(document.ToJsonString());
    }
}
