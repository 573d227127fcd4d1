using System.Text.Json.Nodes;
using AgentVault.Plugins.Tests.OAuth2;

namespace AgentVault.Plugins.Tests.GitHubApp;

/// <summary>Settings checks of <c>github-app</c>: every problem is reported with its setting, without echoing a pasted secret.</summary>
public sealed class GitHubAppValidationTests
{
    [Theory]
    [InlineData("""{"app_id":123,"installation_id":456,"private_key":"GH_KEY"}""")]
    [InlineData("""{"app_id":"123","installation_id":"456","private_key":"GH_KEY","api_url":"https://github.example.com/api/v3"}""")]
    [InlineData("""{"app_id":"Iv23liAbCdEf123","installation_id":456,"private_key":"GH_KEY","repositories":["a.b","c-d_e"]}""")]
    [InlineData("""{"app_id_key":"GH_APP_ID","installation_id":456,"private_key":"GH_KEY","permissions":{"contents":"read","pull_requests":"write"}}""")]
    [InlineData("""{"app_id":1,"installation_id":2,"private_key":"GH_KEY","api_url":"http://127.0.0.1:8080"}""")]
    [InlineData("""{"app_id":1,"installation_id":2,"private_key":"GH_KEY","auth_header":"basic"}""")]
    [InlineData("""{"app_id":1,"installation_id":2,"private_key":"GH_KEY","auth_header":"bearer"}""")]
    public void ValidSettings_NoProblems(string json) =>
        Assert.Empty(SchemeHarness.Validate(GitHubAppFixture.Factory(), JsonNode.Parse(json)!.AsObject()));

    [Theory]
    [InlineData("""{"installation_id":456,"private_key":"GH_KEY"}""", "app_id", "is required")]
    [InlineData("""{"app_id":123,"app_id_key":"GH_APP_ID","installation_id":456,"private_key":"GH_KEY"}""", "app_id", "not both")]
    [InlineData("""{"app_id":"GH_APP_ID","installation_id":456,"private_key":"GH_KEY"}""", "app_id", "use app_id_key")]
    [InlineData("""{"app_id":"12 34","installation_id":456,"private_key":"GH_KEY"}""", "app_id", "numeric id")]
    [InlineData("""{"app_id_key":"gh-app-id","installation_id":456,"private_key":"GH_KEY"}""", "app_id_key", "UPPER_SNAKE_CASE")]
    [InlineData("""{"app_id":123,"private_key":"GH_KEY"}""", "installation_id", "is required")]
    [InlineData("""{"app_id":123,"installation_id":"abc","private_key":"GH_KEY"}""", "installation_id", "positive number")]
    [InlineData("""{"app_id":123,"installation_id":0,"private_key":"GH_KEY"}""", "installation_id", "positive number")]
    [InlineData("""{"app_id":123,"installation_id":456}""", "private_key", "is required")]
    [InlineData("""{"app_id":123,"installation_id":456,"private_key":"-----BEGIN RSA PRIVATE KEY-----"}""", "private_key", "not hold a value")]
    [InlineData("""{"app_id":123,"installation_id":456,"private_key":"GH_KEY","api_url":"http://api.github.com"}""", "api_url", "https")]
    [InlineData("""{"app_id":123,"installation_id":456,"private_key":"GH_KEY","api_url":"https://api.github.com/?x=1"}""", "api_url", "without query")]
    [InlineData("""{"app_id":123,"installation_id":456,"private_key":"GH_KEY","repositories":"docs"}""", "repositories", "list of repository names")]
    [InlineData("""{"app_id":123,"installation_id":456,"private_key":"GH_KEY","repositories":["octo-org/docs"]}""", "repositories", "without the owner")]
    [InlineData("""{"app_id":123,"installation_id":456,"private_key":"GH_KEY","repositories":["bad name"]}""", "repositories", "not a repository name")]
    [InlineData("""{"app_id":123,"installation_id":456,"private_key":"GH_KEY","permissions":["contents"]}""", "permissions", "map of permission name")]
    [InlineData("""{"app_id":123,"installation_id":456,"private_key":"GH_KEY","permissions":{"Contents":"read"}}""", "permissions", "lower_snake_case")]
    [InlineData("""{"app_id":123,"installation_id":456,"private_key":"GH_KEY","permissions":{"contents":"all"}}""", "permissions.contents", "read, write or admin")]
    [InlineData("""{"app_id":123,"installation_id":456,"private_key":"GH_KEY","scope":"repo"}""", "scope", "not a setting of this auth scheme")]
    [InlineData("""{"app_id":123,"installation_id":456,"private_key":"GH_KEY","auth_header":"token"}""", "auth_header", "must be one of: bearer, basic")]
    public void InvalidSettings_ReportProblemAtSetting(string json, string path, string message)
    {
        var problems = SchemeHarness.Validate(GitHubAppFixture.Factory(), JsonNode.Parse(json)!.AsObject());

        var problem = Assert.Single(problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CredentialSettings_ArePrivateKeyAndAppIdKey()
    {
        var factory = GitHubAppFixture.Factory();

        Assert.Equal(["app_id_key", "private_key"], factory.CredentialSettings.Order(StringComparer.Ordinal));
    }
}
