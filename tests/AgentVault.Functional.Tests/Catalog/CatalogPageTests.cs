using System.Net;
using AgentVault.Testing.WebConsole;

namespace AgentVault.Functional.Tests.Catalog;

/// <summary>The console's catalog page (<c>/ui/catalog</c>) lists every template with its hosts, auth, keys, presets and the command that adds it.</summary>
public sealed class CatalogPageTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    [Fact]
    public async Task CatalogPage_ListsEveryTemplate_WithTheCommandThatAddsIt()
    {
        using var console = new ConsoleClient(fixture.Broker.Process.ApiUrl);
        using var signIn = await console.SignInAsync(fixture.Broker.Process.AdminToken);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var page = WebUtility.HtmlDecode(await console.GetPageAsync("/ui/catalog"));

        foreach (var id in new[] { "openai", "anthropic", "github", "gitlab", "slack", "stripe", "aws-s3", "telegram" })
        {
            Assert.Contains($"<tr data-template=\"{id}\">", page, StringComparison.Ordinal);
        }

        Assert.Contains("agent-vault vault service add --vault VAULT --from-catalog stripe --credential STRIPE_SECRET_KEY=local:stripe --preset read-only", page, StringComparison.Ordinal);
        Assert.Contains("https://docs.stripe.com/api/authentication", page, StringComparison.Ordinal);
    }
}
