using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AgentVault.Broker.Model;
using AgentVault.Broker.Tests.Management;
using AgentVault.Broker.Tests.Management.Fakes;

namespace AgentVault.Broker.Tests.Access;

/// <summary>The audit trail through the API (SPEC §14): who changed what, recorded once a change succeeds, never a value.</summary>
public sealed class AuditTrailApiTests : IAsyncLifetime
{
    private const string Config = """
        {
          "stores": [ { "name": "local", "type": "file" } ],
          "vaults": [ { "name": "dev", "credentials": { "A": "local:a" } }, { "name": "prod", "credentials": { "B": "local:b" } } ],
          "access": [
            { "email": "owner@example.com", "role": "owner" },
            { "email": "ed@example.com", "vault": "dev", "role": "editor" }
          ]
        }
        """;

    private ManagementTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ManagementTestHost.StartAsync();
        _host.Registry.Stores["local"] = new FakeSecretStore();
        await _host.ApplyAsync(Config);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task APersonsChange_IsRecordedUnderTheirEmail_WithoutTheValue()
    {
        using var editor = await PersonAsync("Ed@Example.com");
        using var put = await editor.PutAsync("v1/vaults/dev/credentials", ManagementTestHost.Json("""{ "NEW": "local:very-secret-path" }"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var secret = await _host.Admin.PutAsync("v1/stores/local/secrets/k", ManagementTestHost.Json("""{ "value": "s3cr3t-value-123" }"""));
        Assert.Equal(HttpStatusCode.NoContent, secret.StatusCode);

        var entries = await EntriesAsync(_host.Admin, "v1/audit");
        var change = Assert.Single(entries, e => (string?)e!["action"] == "credential.put");
        Assert.Equal(("ed@example.com", "vaults/dev/credentials", "dev"), ((string?)change!["actor"], (string?)change["target"], (string?)change["vault"]));
        var write = Assert.Single(entries, e => (string?)e!["action"] == "store.secret.put");
        Assert.Equal(("admin-token", "wrote secret k in store local (the value is not recorded)"), ((string?)write!["actor"], (string?)write["summary"]));
        Assert.DoesNotContain("s3cr3t-value-123", entries.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedRequestsAndDryRuns_AreNotRecorded()
    {
        using var editor = await PersonAsync("ed@example.com");
        using var refused = await editor.PutAsync("v1/vaults/prod/credentials", ManagementTestHost.Json("""{ "X": "local:x" }"""));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var invalid = await editor.PutAsync("v1/vaults/dev/credentials", ManagementTestHost.Json("""{ "X": "no-store-here:x" }"""));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        using var dryRun = await _host.Admin.PostAsync("v1/apply?dry_run=true", ManagementTestHost.Json(Config));
        Assert.Equal(HttpStatusCode.OK, dryRun.StatusCode);

        var entries = await EntriesAsync(_host.Admin, "v1/audit");
        Assert.Equal(["config.apply"], entries.Select(e => (string?)e!["action"]));
    }

    [Fact]
    public async Task AnEditor_SeesOnlyTheEntriesOfTheirVaults_AndFollowsWithAfter()
    {
        using var owner = await PersonAsync("owner@example.com");
        using var editor = await PersonAsync("ed@example.com");
        (await owner.PutAsync("v1/vaults/prod/credentials", ManagementTestHost.Json("""{ "P": "local:p" }"""))).Dispose();
        (await editor.PutAsync("v1/vaults/dev/credentials", ManagementTestHost.Json("""{ "D": "local:d" }"""))).Dispose();

        var seen = await EntriesAsync(editor, "v1/audit");
        Assert.Equal(["dev"], seen.Select(e => (string?)e!["vault"]).Distinct());
        using var other = await editor.GetAsync("v1/audit?vault=prod");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);

        var all = await EntriesAsync(owner, "v1/audit");
        var first = (long)all[^1]!["id"]!;
        var after = await EntriesAsync(owner, $"v1/audit?after={first}");
        Assert.Equal(all.Select(e => (long)e!["id"]!).Where(id => id > first).Order(), after.Select(e => (long)e!["id"]!));
    }

    private async Task<HttpClient> PersonAsync(string email)
    {
        var (token, _) = await _host.Sessions.StartAsync(SessionRecord.Console, email.ToLowerInvariant(), email, [], CancellationToken.None);
        var client = new HttpClient { BaseAddress = _host.Api };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonArray> EntriesAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray();
    }
}
