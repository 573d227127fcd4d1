using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Soak;

/// <summary>
/// The operator changing the configuration while the soak runs, one change every few seconds, four kinds in turn over the
/// vaults: a new deny rule on the live service (API <c>PUT /v1/vaults/V/services</c>), checked at once by the operator's
/// own agent (the newly denied path is 403 <c>rule_denied</c>, the one denied before is served again); an unrelated service
/// added (<c>vault service set -f</c>, CLI) and one removed (<c>DELETE</c>, API); and <c>apply -f</c> (CLI) of a scratch vault
/// whose services change each time.
/// </summary>
internal sealed class SoakReconfigurer(BrokerEnvironment broker, SoakLedger ledger, SoakIdentity operatorAgent, IReadOnlyList<string> vaults, int upstreamPort)
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(3);
    private readonly Dictionary<string, int> _denied = [];
    private readonly Queue<(string Vault, string Service)> _extras = new();

    public int Changes { get; private set; }

    /// <summary>The live service of a vault as the soak configures it, denying GET of <c>/soak/*/*/deny-N/*</c>.</summary>
    public static JsonObject LiveService(int port, int deny) => new()
    {
        ["name"] = "api",
        ["host"] = $"api.upstream.test:{port}",
        ["auth"] = new JsonObject { ["type"] = "bearer", ["token"] = "API_KEY" },
        ["rules"] = new JsonObject { ["deny"] = new JsonArray($"GET /soak/*/*/deny-{deny}/*") },
    };

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(Pause, CancellationToken.None);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            var vault = vaults[Changes / 4 % vaults.Count];
            switch (Changes % 4)
            {
                case 0:
                    await ChangeRuleAsync(vault);
                    break;
                case 1:
                    await AddServiceAsync(vault);
                    break;
                case 2:
                    await RemoveServiceAsync();
                    break;
                default:
                    await ApplyScratchAsync();
                    break;
            }

            Changes++;
        }
    }

    private async Task ChangeRuleAsync(string vault)
    {
        var before = _denied.GetValueOrDefault(vault);
        var now = Changes + 1;
        using (var api = broker.Process.CreateApiClient())
        using (var response = await api.PutAsJsonAsync(new Uri($"/v1/vaults/{vault}/services", UriKind.Relative), new JsonObject { ["services"] = new JsonArray(LiveService(upstreamPort, now)) }))
        {
            if (!await SucceededAsync(response, "PUT services of " + vault))
            {
                return;
            }
        }

        _denied[vault] = now;
        ledger.Count("config: rule changed (API)");
        await ProbeAsync(vault, now, SoakOutcome.RuleDenied);
        await ProbeAsync(vault, before, SoakOutcome.Ok);
    }

    private async Task ProbeAsync(string vault, int deny, SoakOutcome expected)
    {
        var call = new SoakCall(operatorAgent.Agent, vault, ledger.NextSeq(), $"deny-{deny}");
        var started = Stopwatch.GetTimestamp();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var client = operatorAgent.ClientsFor(vault).KeepAlive;
        var result = await SoakRequests.GetAsync(client, new Uri($"https://api.upstream.test:{upstreamPort}{call.Path}"), call, newConnection: false, timeout.Token);
        if (result.Outcome != expected)
        {
            ledger.Fail($"rule probe {call.Path}: {result.Outcome} {result.Status} {result.Detail}, expected {expected}");
            return;
        }

        ledger.Record(operatorAgent, call, expected == SoakOutcome.Ok ? "probe-rule-lifted" : "probe-rule-new", started, result, ruleProbe: true);
    }

    private async Task AddServiceAsync(string vault)
    {
        var name = $"extra-{Changes}";
        var file = Path.Combine(broker.Process.WorkDir, $"soak-service-{Changes}.yaml");
        await File.WriteAllTextAsync(file, $"""
            services:
              - name: {name}
                host: {name}.upstream.test
                auth: {"{"} type: bearer, token: API_KEY {"}"}
            """);
        var result = await broker.Process.Cli.RunAsync("vault", "service", "set", "-f", file, "--vault", vault);
        File.Delete(file);
        if (result.ExitCode != 0)
        {
            ledger.Fail("vault service set: " + result);
            return;
        }

        _extras.Enqueue((vault, name));
        ledger.Count("config: service added (CLI)");
    }

    private async Task RemoveServiceAsync()
    {
        if (!_extras.TryDequeue(out var extra))
        {
            return;
        }

        using var api = broker.Process.CreateApiClient();
        using var response = await api.DeleteAsync(new Uri($"/v1/vaults/{extra.Vault}/services/{extra.Service}", UriKind.Relative));
        if (await SucceededAsync(response, $"DELETE service {extra.Service} of {extra.Vault}"))
        {
            ledger.Count("config: service removed (API)");
        }
    }

    private async Task ApplyScratchAsync()
    {
        var services = string.Concat(Enumerable.Range(0, Changes % 5 + 1).Select(i => $"""

                  - name: scratch-{i}
                    host: scratch-{i}.upstream.test
                    auth: {"{"} type: passthrough {"}"}
            """));
        var result = await broker.ApplyAsync($"""
            vaults:
              - name: scratch
                unmatched: deny
                services:{services}
            """);
        if (result.ExitCode != 0)
        {
            ledger.Fail("apply -f (scratch vault): " + result);
            return;
        }

        ledger.Count("config: apply -f (CLI)");
    }

    private async Task<bool> SucceededAsync(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return true;
        }

        ledger.Fail($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return false;
    }
}
