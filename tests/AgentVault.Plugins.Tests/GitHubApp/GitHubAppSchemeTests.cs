using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Plugins.Tests.OAuth2;
using AgentVault.Testing.Fakes.GitHub;

namespace AgentVault.Plugins.Tests.GitHubApp;

/// <summary><c>github-app</c> against a fake GitHub that verifies the app JWT with the app's public key.</summary>
public sealed class GitHubAppSchemeTests : IAsyncLifetime
{
    private GitHubAppFixture _github = null!;

    public async Task InitializeAsync() => _github = await GitHubAppFixture.StartAsync();

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Theory]
    [InlineData("number")]
    [InlineData("string")]
    [InlineData("client-id")]
    [InlineData("key")]
    public async Task ValidKey_InjectsInstallationTokenGitHubAccepts(string appIdForm)
    {
        var settings = _github.Settings(appIdForm switch
        {
            "string" => JsonValue.Create("424242"),
            "client-id" => JsonValue.Create(FakeGitHubServer.ClientId),
            _ => null,
        });
        var credentials = _github.Credentials();
        if (appIdForm == "key")
        {
            settings.Remove("app_id");
            settings["app_id_key"] = "GITHUB_APP_ID";
            credentials.Set("GITHUB_APP_ID", "424242\n");
        }

        using var client = _github.CreateClient();
        var scheme = _github.Create(settings, client);

        var (request, auth) = await SchemeHarness.ApplyAsync(scheme, credentials);

        Assert.Equal("Bearer", request.Headers.Authorization?.Scheme);
        var token = request.Headers.Authorization!.Parameter!;
        Assert.StartsWith("ghs_", token, StringComparison.Ordinal);
        Assert.Contains(token, auth.InjectedValues);
        var (status, body) = await _github.CallApiAsync(request, "/installation/repositories");
        Assert.Equal(200, status);
        Assert.Equal(FakeGitHubServer.Repositories.Count, body.GetProperty("total_count").GetInt32());
        var minted = Assert.Single(_github.Server.TokenRequests);
        Assert.Equal(201, minted.Status);
        Assert.Equal("application/vnd.github+json", minted.Accept);
        Assert.Equal("2022-11-28", minted.ApiVersion);
        Assert.StartsWith("agent-vault/", minted.UserAgent, StringComparison.Ordinal);
        Assert.Null(minted.Body);
        AssertNoSecretsLogged(token);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an id: ghp_secretvalue")]
    public async Task AppIdKeyWithoutAnId_ThrowsWithoutEchoingIt(string stored)
    {
        var settings = _github.Settings();
        settings.Remove("app_id");
        settings["app_id_key"] = "GITHUB_APP_ID";
        var credentials = _github.Credentials();
        credentials.Set("GITHUB_APP_ID", stored);
        using var client = _github.CreateClient();
        var scheme = _github.Create(settings, client);

        var ex = await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(scheme, credentials));

        Assert.Contains("GITHUB_APP_ID does not hold a GitHub App id", ex.Message, StringComparison.Ordinal);
        Assert.Equal("GITHUB_APP_ID", ex.CredentialKey);
        Assert.DoesNotContain("ghp_", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_github.Server.TokenRequests);
    }

    [Fact]
    public async Task AuthHeaderBasic_SendsTokenAsGitPassword()
    {
        var settings = _github.Settings();
        settings["auth_header"] = "basic";
        using var client = _github.CreateClient();
        var scheme = _github.Create(settings, client);

        var (request, auth) = await SchemeHarness.ApplyAsync(scheme, _github.Credentials());

        Assert.Equal("Basic", request.Headers.Authorization?.Scheme);
        var pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers.Authorization!.Parameter!));
        Assert.StartsWith("x-access-token:ghs_", pair, StringComparison.Ordinal);
        Assert.Contains(pair["x-access-token:".Length..], auth.InjectedValues);
        Assert.Contains(request.Headers.Authorization.Parameter, auth.InjectedValues);
        Assert.Equal(200, (await _github.CallApiAsync(request, "/installation/repositories")).Status);
    }

    [Fact]
    public async Task ConcurrentRequests_OneTokenMinted()
    {
        using var client = _github.CreateClient();
        var scheme = _github.Create(_github.Settings(), client);
        var credentials = _github.Credentials();

        var results = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => SchemeHarness.ApplyAsync(scheme, credentials)));
        var (again, _) = await SchemeHarness.ApplyAsync(scheme, credentials);

        var tokens = results.Select(r => r.Request.Headers.Authorization!.Parameter).Append(again.Headers.Authorization!.Parameter).Distinct();
        Assert.Single(tokens);
        Assert.Single(_github.Server.TokenRequests);
    }

    [Fact]
    public async Task RepositoriesAndPermissions_NarrowTheToken()
    {
        var settings = _github.Settings();
        settings["repositories"] = new JsonArray("docs");
        settings["permissions"] = new JsonObject { ["contents"] = "read", ["issues"] = "write" };
        using var client = _github.CreateClient();
        var scheme = _github.Create(settings, client);

        var (request, _) = await SchemeHarness.ApplyAsync(scheme, _github.Credentials());

        var body = Assert.Single(_github.Server.TokenRequests).Body!;
        Assert.Equal(["docs"], body["repositories"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("read", body["permissions"]!["contents"]!.GetValue<string>());
        Assert.Equal("write", body["permissions"]!["issues"]!.GetValue<string>());
        var (status, repos) = await _github.CallApiAsync(request, "/installation/repositories");
        Assert.Equal(200, status);
        Assert.Equal(["docs"], repos.GetProperty("repositories").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(404, (await _github.CallApiAsync(request, $"/repos/{FakeGitHubServer.Owner}/hello-world")).Status);
        Assert.Equal(200, (await _github.CallApiAsync(request, $"/repos/{FakeGitHubServer.Owner}/docs")).Status);
    }

    [Fact]
    public async Task WrongKey_ThrowsWithGitHubsMessageAndNoKey()
    {
        using var other = RSA.Create(2048);
        var wrongPem = other.ExportRSAPrivateKeyPem();
        using var client = _github.CreateClient();
        var scheme = _github.Create(_github.Settings(), client);

        var ex = await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(scheme, _github.Credentials(wrongPem)));

        Assert.Contains("HTTP 401: A JSON web token could not be decoded", ex.Message, StringComparison.Ordinal);
        Assert.Equal(GitHubAppFixture.KeyName, ex.CredentialKey);
        Assert.Empty(_github.Server.Tokens);
        AssertNoKeyMaterial(ex.ToString(), wrongPem);
        AssertNoKeyMaterial(string.Join('\n', _github.Logs.Messages), wrongPem);
    }

    [Theory]
    [InlineData("installation", 404, "HTTP 404: Not Found")]
    [InlineData("repository", 422, "HTTP 422: There is at least one repository that does not exist")]
    [InlineData("permission", 422, "HTTP 422: The permissions requested are not granted to this installation.")]
    public async Task RequestGitHubRefuses_ThrowsWithItsMessage(string what, int status, string expected)
    {
        var settings = _github.Settings();
        switch (what)
        {
            case "installation":
                settings["installation_id"] = 999;
                break;
            case "repository":
                settings["repositories"] = new JsonArray("docs", "not-installed");
                break;
            default:
                settings["permissions"] = new JsonObject { ["administration"] = "write" };
                break;
        }

        using var client = _github.CreateClient();
        var scheme = _github.Create(settings, client);

        var ex = await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(scheme, _github.Credentials()));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(status, Assert.Single(_github.Server.TokenRequests).Status);
    }

    [Fact]
    public async Task TokenNearExpiry_IsReplacedByNewOne()
    {
        using var client = _github.CreateClient();
        var scheme = _github.Create(_github.Settings(), client);
        var credentials = _github.Credentials();
        var (first, _) = await SchemeHarness.ApplyAsync(scheme, credentials);

        _github.Time.Advance(TimeSpan.FromMinutes(50));
        var (sameHour, _) = await SchemeHarness.ApplyAsync(scheme, credentials);
        _github.Time.Advance(TimeSpan.FromMinutes(6));
        var (renewed, _) = await SchemeHarness.ApplyAsync(scheme, credentials);

        Assert.Equal(first.Headers.Authorization!.Parameter, sameHour.Headers.Authorization!.Parameter);
        Assert.NotEqual(first.Headers.Authorization!.Parameter, renewed.Headers.Authorization!.Parameter);
        Assert.Equal(2, _github.Server.TokenRequests.Count(r => r.Status == 201));
        Assert.Equal(200, (await _github.CallApiAsync(renewed, "/installation/repositories")).Status);
    }

    [Fact]
    public async Task Unauthorized_DropsTokenAndMintsNewOne()
    {
        using var client = _github.CreateClient();
        var scheme = _github.Create(_github.Settings(), client);
        var credentials = _github.Credentials();
        var (first, _) = await SchemeHarness.ApplyAsync(scheme, credentials);
        _github.Server.RevokeTokens();
        Assert.Equal(401, (await _github.CallApiAsync(first, "/installation/repositories")).Status);

        Assert.True(await scheme.OnUnauthorizedAsync(CancellationToken.None));
        var (second, _) = await SchemeHarness.ApplyAsync(scheme, credentials);

        Assert.NotEqual(first.Headers.Authorization!.Parameter, second.Headers.Authorization!.Parameter);
        Assert.Equal(200, (await _github.CallApiAsync(second, "/installation/repositories")).Status);
    }

    [Fact]
    public async Task RotatedKey_MintsWithTheNewValue()
    {
        using var client = _github.CreateClient();
        var scheme = _github.Create(_github.Settings(), client);
        using var other = RSA.Create(2048);
        var credentials = _github.Credentials(other.ExportPkcs8PrivateKeyPem());
        await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(scheme, credentials));

        credentials.Set(GitHubAppFixture.KeyName, _github.Server.PrivateKeyPem);
        var (request, _) = await SchemeHarness.ApplyAsync(scheme, credentials);

        Assert.Equal(200, (await _github.CallApiAsync(request, "/installation/repositories")).Status);
    }

    [Theory]
    [InlineData("ec", "holds an EC key; GitHub App private keys are RSA")]
    [InlineData("not-pem", "cannot sign the GitHub App JWT: The value is not a PEM private key")]
    [InlineData("public", "cannot sign the GitHub App JWT: The PEM holds no private key, only: PUBLIC KEY")]
    public async Task UnusableKey_ThrowsBeforeCallingGitHub(string kind, string expected)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        var pem = kind switch
        {
            "ec" => ec.ExportPkcs8PrivateKeyPem(),
            "public" => rsa.ExportSubjectPublicKeyInfoPem(),
            _ => "ghp_this-is-a-personal-access-token-not-a-key",
        };
        using var client = _github.CreateClient();
        var scheme = _github.Create(_github.Settings(), client);

        var ex = await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(scheme, _github.Credentials(pem)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(GitHubAppFixture.KeyName, ex.CredentialKey);
        Assert.Empty(_github.Server.TokenRequests);
        AssertNoKeyMaterial(ex.ToString(), pem);
    }

    private void AssertNoSecretsLogged(string token)
    {
        Assert.NotEmpty(_github.Logs.Messages);
        Assert.DoesNotContain(_github.Logs.Messages, m => m.Contains(token, StringComparison.Ordinal));
        AssertNoKeyMaterial(string.Join('\n', _github.Logs.Messages), _github.Server.PrivateKeyPem);
    }

    private static void AssertNoKeyMaterial(string text, string pem)
    {
        foreach (var line in pem.Split('\n').Where(l => l.Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line, text, StringComparison.Ordinal);
        }
    }
}
