using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AgentVault.Functional.Tests.ControlPlane;
using AgentVault.Testing.Broker;
using AgentVault.Testing.WebConsole;

namespace AgentVault.Functional.Tests.People;

/// <summary>
/// The audit trail and the admin token through the real broker and CLI (SPEC §14): changes appear in <c>agent-vault
/// audit</c> under their actor with no value; <c>admin rotate-token</c> stops the old token at once and rewrites
/// <c>admin.token</c>; a console sign-in with the admin token is a session the owner can list and revoke.
/// </summary>
public sealed class AuditAndAdminTokenTests
{
    [Fact]
    public async Task Changes_AppearInTheAuditCommand_WithTheirActor_AndNoValue()
    {
        await using var broker = await BrokerProcess.StartAsync();
        CliAssert.Ok(await broker.Cli.RunAsync("vault", "create", "audited"));
        CliAssert.Ok(await broker.Cli.RunAsync(["secret", "set", "local:audit-secret"], stdin: "value-that-must-not-appear\n"));

        var lines = CliAssert.Ok(await broker.Cli.RunAsync("audit")).Stdout;
        Assert.Contains("admin-token  vault.put  vaults/audited  vault=audited  set vault audited", lines, StringComparison.Ordinal);
        Assert.Contains("store.secret.put", lines, StringComparison.Ordinal);

        var json = CliAssert.Ok(await broker.Cli.RunAsync("audit", "--json", "--action", "vault.")).Stdout;
        var entry = JsonDocument.Parse(json.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(("admin-token", "vault.put", "audited"), (entry.GetProperty("actor").GetString(), entry.GetProperty("action").GetString(), entry.GetProperty("vault").GetString()));

        var everything = CliAssert.Ok(await broker.Cli.RunAsync("audit", "--json")).Stdout;
        Assert.DoesNotContain("value-that-must-not-appear", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("value-that-must-not-appear", broker.Stdout + broker.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateToken_StopsTheOldTokenAtOnce_AndTheNewOneWorks()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var old = broker.AdminToken;

        var rotated = CliAssert.Ok(await broker.Cli.RunAsync("admin", "rotate-token"));
        var fresh = rotated.Stdout.Trim();

        Assert.StartsWith("ava_", fresh, StringComparison.Ordinal);
        Assert.NotEqual(old, fresh);
        Assert.Equal(fresh, File.ReadAllText(Path.Combine(broker.DataDir, "admin.token")).Trim());
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(broker, old));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(broker, fresh));
        Assert.DoesNotContain(fresh, broker.Stdout + broker.Stderr, StringComparison.Ordinal);

        var audit = CliAssert.Ok(await broker.Cli.With("AGENT_VAULT_ADMIN_TOKEN", fresh).RunAsync("audit", "--action", "admin_token.rotate")).Stdout;
        Assert.Contains("admin-token  admin_token.rotate", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConsoleSession_IsListed_AndRevokingItSignsItOutAtOnce()
    {
        await using var broker = await BrokerProcess.StartAsync();
        using var console = new ConsoleClient(broker.ApiUrl);
        (await console.SignInAsync(broker.AdminToken)).Dispose();
        using (var before = await console.Http.GetAsync("/ui/vaults"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var sessions = CliAssert.Ok(await broker.Cli.RunAsync("session", "list", "--json")).Stdout;
        var id = JsonDocument.Parse(sessions).RootElement.EnumerateArray().Single().GetProperty("id").GetString()!;
        CliAssert.Ok(await broker.Cli.RunAsync("session", "revoke", id));

        using var after = await console.Http.GetAsync("/ui/vaults");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        var audit = CliAssert.Ok(await broker.Cli.RunAsync("audit")).Stdout;
        Assert.Contains("session.sign_in", audit, StringComparison.Ordinal);
        Assert.Contains($"session.revoke  sessions/{id}", audit, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(BrokerProcess broker, string token)
    {
        using var client = broker.CreateApiClient(admin: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync("v1/vaults");
        return response.StatusCode;
    }
}
