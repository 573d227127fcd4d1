using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AgentVault.Broker.Access;
using AgentVault.Broker.Model;
using AgentVault.Broker.Tests.Management;

namespace AgentVault.Broker.Tests.Access;

/// <summary>
/// Issue 14 seen by an attacker: a role used to reach beyond itself, or a credential that should be dead still working.
/// </summary>
public sealed class EscalationTests : IAsyncLifetime
{
    private const string Config = """
        {
          "stores": [ { "name": "local", "type": "file" } ],
          "vaults": [ { "name": "dev" }, { "name": "prod" } ],
          "agents": [ { "name": "dev-bot", "vaults": ["dev"] }, { "name": "prod-bot", "vaults": ["prod"] } ],
          "access": [
            { "email": "owner@example.com", "role": "owner" },
            { "email": "dev-admin@example.com", "vault": "dev", "role": "admin" }
          ]
        }
        """;

    private ManagementTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ManagementTestHost.StartAsync(features: true);
        await _host.ApplyAsync(Config, prune: true);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AVaultAdmin_CannotMintATokenInTheNameOfAnotherVaultsAgent()
    {
        using var devAdmin = await PersonAsync("dev-admin@example.com");

        using var forged = await devAdmin.PostAsync("v1/tokens", ManagementTestHost.Json("""{ "vault": "dev", "agent": "prod-bot" }"""));
        var body = JsonNode.Parse(await forged.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("forbidden", (string?)body?["code"]);
        Assert.Contains("prod", (string?)body?["detail"], StringComparison.Ordinal);

        using var own = await devAdmin.PostAsync("v1/tokens", ManagementTestHost.Json("""{ "vault": "dev", "agent": "dev-bot" }"""));
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        using var unnamed = await devAdmin.PostAsync("v1/tokens", ManagementTestHost.Json("""{ "vault": "dev" }"""));
        Assert.Equal(HttpStatusCode.Created, unnamed.StatusCode);
    }

    [Fact]
    public async Task TheOwner_MayStillMintForAnyAgent()
    {
        using var owner = await PersonAsync("owner@example.com");
        using var minted = await owner.PostAsync("v1/tokens", ManagementTestHost.Json("""{ "vault": "dev", "agent": "prod-bot" }"""));
        Assert.Equal(HttpStatusCode.Created, minted.StatusCode);
    }

    [Fact]
    public async Task RotatingTheAdminToken_EndsTheConsoleSessionsSignedInWithTheOldOne()
    {
        // A console sign-in with the admin token is a session of its own; rotating a leaked admin token must end it too.
        var (oldConsole, _) = await _host.Sessions.StartAsync(SessionRecord.Console, Caller.AdminTokenActor, null, [], CancellationToken.None);
        using var console = Client(oldConsole);
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("v1/sessions")).StatusCode);
        using var person = await PersonAsync("owner@example.com");

        using var rotated = await _host.Admin.PostAsync("v1/admin/rotate-token", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await console.GetAsync("v1/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("v1/sessions")).StatusCode);
    }

    private async Task<HttpClient> PersonAsync(string email) =>
        Client((await _host.Sessions.StartAsync(SessionRecord.Cli, email, email, [], CancellationToken.None)).Token);

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = _host.Api };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
