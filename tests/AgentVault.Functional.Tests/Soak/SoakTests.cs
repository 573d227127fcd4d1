using System.Globalization;
using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Soak;

/// <summary>
/// The soak (docs/reliability.md, "Soak"): twenty agents on eight vaults send a mix of requests through the real broker
/// for <c>AGENT_VAULT_SOAK_SECONDS</c> (120 by default) — HTTP/1.1 kept alive, HTTP/2, a new tunnel per request, SSE streams,
/// 1 MiB uploads, WebSockets over both — while the operator revokes agents and changes the configuration. Afterwards: no
/// request reached the upstream with another vault's credential or was answered for another request, no failure beyond the
/// expected refusals, every answered request is in the request log, and memory and descriptors stayed flat.
/// </summary>
[Collection(SoakCollection.Name)]
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Vaults = 8;
    private const int Agents = 20;
    private const int LoopsPerLane = 2;

    /// <summary>The agent with a rate limit of its own, so limit refusals happen (and are logged) under load.</summary>
    private const string LimitedAgent = "a19";
    private const string LimitedRate = "10/s";

    [Fact]
    public async Task ManyAgentsMixedTraffic_WithRevocationsAndConfigChanges_KeepsCredentialsApartAndLogsEveryRequestWithoutLeaking()
    {
        var duration = TimeSpan.FromSeconds(Seconds());
        await using var broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Soak Upstream CA", Hosts = ["api.upstream.test"] });
        var secrets = Enumerable.Range(0, Vaults).ToDictionary(VaultName, i => $"sk-soak-{i}-{Guid.NewGuid():N}", StringComparer.Ordinal);
        var soak = new SoakUpstream(secrets);
        var upstream = broker.Own(await TestUpstream.StartAsync(broker.UpstreamCa, endpoints: soak.Map, recordRequests: false));
        await broker.PutSecretsAsync([.. secrets.Select(s => ("key-" + s.Key, s.Value))]);
        var tokens = await broker.ApplyAndGetTokensAsync(Config(upstream.Port));
        var upstreamUri = upstream.BaseUri();

        var ledger = new SoakLedger();
        var slots = Enumerable.Range(0, Agents).Select(i => new SoakAgentSlot(
            new SoakIdentity(broker, AgentName(i), tokens[AgentName(i)], VaultsOf(i)), AgentName(i) == LimitedAgent ? LimitedRate : null)).ToList();
        using var operatorAgent = new SoakIdentity(broker, "op", tokens["op"], [.. Enumerable.Range(0, Vaults).Select(VaultName)]);
        var lanes = slots.SelectMany((slot, i) => slot.Current.Vaults.SelectMany(vault => Enumerable.Range(0, LoopsPerLane)
            .Select(loop => new SoakLane(slot, vault, upstreamUri, ledger, (i * 3) + (loop * 10))))).ToList();
        var revoker = new SoakRevoker(broker, ledger, slots, upstreamUri);
        var reconfigurer = new SoakReconfigurer(broker, ledger, operatorAgent, [.. Enumerable.Range(0, Vaults).Select(VaultName)], upstream.Port);
        var log = new SoakRequestLog(broker.Process, ledger);
        var sampler = new SoakSampler(broker.Process.ProcessId, ledger);
        var idle = sampler.Take();

        using var stop = new CancellationTokenSource();
        var tasks = lanes.Select(lane => Task.Run(() => lane.RunAsync(stop.Token)))
            .Append(Task.Run(() => revoker.RunAsync(stop.Token)))
            .Append(Task.Run(() => reconfigurer.RunAsync(stop.Token)))
            .Append(Task.Run(() => log.RunAsync(stop.Token)))
            .Append(Task.Run(() => sampler.RunAsync(stop.Token)))
            .ToList();
        stop.CancelAfter(duration);
        await Task.WhenAll(tasks);
        var end = sampler.Take();

        // Close every agent connection, let the broker settle, and look again.
        foreach (var slot in slots)
        {
            slot.Current.Dispose();
        }

        operatorAgent.Dispose();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var settled = sampler.Take();
        var missing = await log.MissingAfterAsync(TimeSpan.FromSeconds(60));
        var metrics = await SoakMetrics.ReadAsync(broker.Process);

        var report = new SoakReport(output, ledger, soak, log, sampler.Samples, duration);
        report.Print(idle, end, settled, revoker.Revocations, reconfigurer.Changes, metrics);

        Assert.False(broker.Process.HasExited, "the broker exited during the soak\n" + broker.Process.Stderr);
        Assert.True(ledger.Failures == 0, $"{ledger.Failures} requests or operator steps failed:\n{string.Join('\n', ledger.FailureExamples)}");
        Assert.True(soak.WrongCredentials == 0, $"{soak.WrongCredentials} requests reached the upstream with the wrong credential:\n{string.Join('\n', soak.WrongExamples)}");
        var leaked = ledger.Refused.Where(soak.Seen.ContainsKey).Take(20).ToList();
        Assert.True(leaked.Count == 0, "refused requests reached the upstream: " + string.Join(", ", leaked));
        Assert.True(missing.Count == 0, $"{missing.Count} of {ledger.Expected.Count} answered requests are not in the request log, e.g. {string.Join(", ", missing.Take(20))}");
        var wrong = ledger.Expected.Where(e => log.Seen.TryGetValue(e.Key, out var seen) && seen != e.Value).Take(20).ToList();
        Assert.True(wrong.Count == 0, "request-log records name another agent, vault or status: " + string.Join("; ", wrong.Select(w => $"{w.Key}: expected {w.Value}, logged {log.Seen[w.Key]}")));
        Assert.Equal(0, log.Duplicates);
        Assert.Equal(0, metrics.Dropped);
        Assert.True(revoker.Revocations > 0 && reconfigurer.Changes > 0, "the soak ended before any revocation or configuration change");
        report.AssertFlat(idle, settled);
        foreach (var secret in secrets.Values)
        {
            Assert.DoesNotContain(secret, broker.Process.Stderr, StringComparison.Ordinal);
        }
    }

    private static int Seconds() =>
        int.TryParse(Environment.GetEnvironmentVariable("AGENT_VAULT_SOAK_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : 120;

    private static string VaultName(int i) => "soak-" + i.ToString(CultureInfo.InvariantCulture);

    private static string AgentName(int i) => "a" + i.ToString("00", CultureInfo.InvariantCulture);

    // Sixteen agents use one vault (two per vault); the last four two vaults each, choosing one per request by proxy password.
    private static IReadOnlyList<string> VaultsOf(int agent) =>
        agent < 16 ? [VaultName(agent % Vaults)] : [VaultName(agent % Vaults), VaultName((agent + 3) % Vaults)];

    private static JsonObject Config(int port)
    {
        var vaults = new JsonArray([.. Enumerable.Range(0, Vaults).Select(i => (JsonNode)new JsonObject
        {
            ["name"] = VaultName(i),
            ["unmatched"] = "deny",
            ["credentials"] = new JsonObject { ["API_KEY"] = "local:key-" + VaultName(i) },
            ["services"] = new JsonArray(SoakReconfigurer.LiveService(port, 0)),
        })]);
        var agents = new JsonArray();
        for (var i = 0; i < Agents; i++)
        {
            var agent = new JsonObject { ["name"] = AgentName(i), ["vaults"] = new JsonArray([.. VaultsOf(i).Select(v => (JsonNode)v)]) };
            if (AgentName(i) == LimitedAgent)
            {
                agent["rate_limit"] = LimitedRate;
            }

            agents.Add(agent);
        }

        agents.Add(new JsonObject { ["name"] = "op", ["vaults"] = new JsonArray([.. Enumerable.Range(0, Vaults).Select(i => (JsonNode)VaultName(i))]) });
        return new JsonObject { ["vaults"] = vaults, ["agents"] = agents };
    }
}
