using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentVault.Functional.Tests.ControlPlane;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Postgres;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Storage;

/// <summary>
/// No lost update: two broker processes on one PostgreSQL write the configuration at the same time, and every change either
/// survives or was refused with 409 <c>conflict</c> (SPEC §11: ETag on reads, If-Match on writes, compare-and-swap on save).
/// </summary>
public sealed partial class ConcurrentWriteTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private const string MasterPassword = "shared master password for every instance";

    [Fact]
    public async Task StaleIfMatchOnTheOtherInstance_Is409AndTheCliSaysToRetry_WhileTokenWritesNeverConflict()
    {
        var url = await CreateDatabaseAsync();
        await using var a = await StartAsync(url);
        await using var b = await StartAsync(url);
        using var aApi = Api(a, a);
        using var bApi = Api(b, a);
        Assert.Equal(HttpStatusCode.OK, (await ApplyAsync(aApi, "dev", null)).Status);

        // B reads the version; A mints a token (not a configuration change); B's write from that version still goes through.
        var read = await ExportETagAsync(bApi);
        Assert.Matches("^\"[0-9]+\"$", read);
        using (var mint = await aApi.PostAsync(new Uri("/v1/tokens", UriKind.Relative), Json("""{ "vault": "dev" }""")))
        {
            Assert.Equal(HttpStatusCode.Created, mint.StatusCode);
        }

        Assert.Equal(read, await ExportETagAsync(aApi));
        var first = await ApplyAsync(bApi, "b1", read);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.NotEqual(read, first.ETag);

        // A changes the configuration; B's next write from the version it last saw is refused and changes nothing.
        Assert.Equal(HttpStatusCode.OK, (await ApplyAsync(aApi, "a1", null)).Status);
        var stale = await ApplyAsync(bApi, "b2", first.ETag);
        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
        Assert.Equal("application/problem+json", stale.MediaType);
        Assert.Equal("conflict", (string?)JsonNode.Parse(stale.Body)!["code"]);
        Assert.Equal(await ExportETagAsync(aApi), stale.ETag);

        // The CLI: export -o names the version; after A's change, apply --if-match with it fails with exit 1 and says to retry.
        var bCli = b.Cli.With("AGENT_VAULT_ADMIN_TOKEN", a.AdminToken);
        var exported = CliAssert.Ok(await bCli.RunAsync("export", "-o", Path.Combine(b.WorkDir, "exported.yaml")));
        var cliETag = ExportedETag().Match(exported.Stderr).Groups[1].Value;
        Assert.Equal(await ExportETagAsync(bApi), cliETag);
        Assert.Equal(HttpStatusCode.OK, (await ApplyAsync(aApi, "a2", null)).Status);
        var file = Path.Combine(b.WorkDir, "b-cli.yaml");
        await File.WriteAllTextAsync(file, "vaults:\n  - name: bcli\n");
        var refused = CliAssert.Failed(await bCli.RunAsync("apply", "-f", file, "--if-match", cliETag));
        Assert.Contains("error: the configuration was changed by someone else meanwhile", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("retry", refused.Stderr, StringComparison.Ordinal);
        CliAssert.Ok(await bCli.RunAsync("apply", "-f", file, "--if-match", (await ExportETagAsync(bApi))!.Trim('"')));

        Assert.Equal(["a1", "a2", "b1", "bcli", "dev"], (await VaultNamesAsync(aApi)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ConcurrentAppliesFromOneETag_OnTwoInstances_ExactlyOneWinsAndItsChangeSurvives()
    {
        var url = await CreateDatabaseAsync();
        await using var a = await StartAsync(url);
        await using var b = await StartAsync(url);
        using var aApi = Api(a, a);
        using var bApi = Api(b, a);
        Assert.Equal(HttpStatusCode.OK, (await ApplyAsync(aApi, "dev", null)).Status);

        var expected = new List<string> { "dev" };
        for (var round = 1; round <= 8; round++)
        {
            var read = await ExportETagAsync(round % 2 == 0 ? aApi : bApi);
            var (fromA, fromB) = await RaceAsync(aApi, $"a{round}", bApi, $"b{round}", read);

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], new[] { fromA.Status, fromB.Status }.Order());
            expected.Add(fromA.Status == HttpStatusCode.OK ? $"a{round}" : $"b{round}");
            Assert.Equal(expected.Order(StringComparer.Ordinal), (await VaultNamesAsync(round % 2 == 0 ? bApi : aApi)).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task ConcurrentAppliesWithoutIfMatch_OnTwoInstances_NeverLoseAChange()
    {
        var url = await CreateDatabaseAsync();
        await using var a = await StartAsync(url);
        await using var b = await StartAsync(url);
        using var aApi = Api(a, a);
        using var bApi = Api(b, a);
        Assert.Equal(HttpStatusCode.OK, (await ApplyAsync(aApi, "dev", null)).Status);

        var accepted = new List<string> { "dev" };
        for (var round = 1; round <= 25; round++)
        {
            var (fromA, fromB) = await RaceAsync(aApi, $"a{round}", bApi, $"b{round}", null);
            var names = await VaultNamesAsync(aApi);
            foreach (var (answer, vault) in new[] { (fromA, $"a{round}"), (fromB, $"b{round}") })
            {
                // Accepted means stored; refused means 409 and not stored. Anything else is a lost update.
                Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{vault}: {(int)answer.Status} {answer.Body}");
                Assert.True(names.Contains(vault) == (answer.Status == HttpStatusCode.OK), $"round {round}: {vault} answered {(int)answer.Status} but the configuration holds [{string.Join(", ", names)}]");
                if (answer.Status == HttpStatusCode.OK)
                {
                    accepted.Add(vault);
                }
            }
        }

        Assert.Equal(accepted.Order(StringComparer.Ordinal), (await VaultNamesAsync(bApi)).Order(StringComparer.Ordinal));
        output.WriteLine($"{accepted.Count - 1} of 50 applies accepted; races re-planned: {Regex.Count(a.Stderr + b.Stderr, "lost the race")}");
    }

    /// <summary>Sends both applies at the same moment, one through each instance.</summary>
    private static async Task<(Answer A, Answer B)> RaceAsync(HttpClient aApi, string aVault, HttpClient bApi, string bVault, string? ifMatch)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fromA = Task.Run(async () => { await go.Task; return await ApplyAsync(aApi, aVault, ifMatch); });
        var fromB = Task.Run(async () => { await go.Task; return await ApplyAsync(bApi, bVault, ifMatch); });
        go.SetResult();
        return (await fromA, await fromB);
    }

    /// <summary><c>POST /v1/apply</c> of a file naming one vault (apply merges: other vaults stay).</summary>
    private static async Task<Answer> ApplyAsync(HttpClient api, string vault, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/apply", UriKind.Relative)) { Content = Json($$"""{ "vaults": [{ "name": "{{vault}}" }] }""") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await api.SendAsync(request);
        return new Answer(response.StatusCode, response.Headers.ETag?.Tag, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string?> ExportETagAsync(HttpClient api)
    {
        using var response = await api.GetAsync(new Uri("/v1/export", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return response.Headers.ETag?.Tag;
    }

    private static async Task<List<string>> VaultNamesAsync(HttpClient api) =>
        [.. JsonNode.Parse(await api.GetStringAsync(new Uri("/v1/export", UriKind.Relative)))!["vaults"]!.AsArray().Select(v => (string)v!["name"]!)];

    /// <summary>A client of <paramref name="broker"/>'s API with the admin token of <paramref name="first"/> (instances share it).</summary>
    private static HttpClient Api(BrokerProcess broker, BrokerProcess first)
    {
        var client = broker.CreateApiClient(admin: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", first.AdminToken);
        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<string> CreateDatabaseAsync() => postgres.Server.UrlFor(await postgres.Server.CreateDatabaseAsync());

    private Task<BrokerProcess> StartAsync(string url) => BrokerProcess.StartAsync(new BrokerOptions
    {
        Dev = false,
        MasterPassword = MasterPassword,
        Log = output.WriteLine,
        Environment = new Dictionary<string, string?> { ["AGENT_VAULT_DATABASE_URL"] = url },
    });

    [GeneratedRegex("""at configuration version ("[0-9]+")""")]
    private static partial Regex ExportedETag();

    private sealed record Answer(HttpStatusCode Status, string? ETag, string? MediaType, string Body);
}
