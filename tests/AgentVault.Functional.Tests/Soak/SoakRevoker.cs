using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Soak;

/// <summary>
/// The operator revoking agents while the soak runs, one every few seconds, round robin, three ways in turn:
/// <c>agent rotate</c> (CLI), <c>agent revoke</c> (CLI) and a replacement agent (API), <c>DELETE /v1/agents/NAME</c> (API)
/// and a replacement (CLI, or API for an agent with its own rate limit). Once the broker has answered, the revoked token
/// is tried again on each of its vaults: on a kept-alive HTTP/1.1 tunnel and an HTTP/2 connection opened before the
/// revocation, and on a new tunnel; every one must be refused. Then the replacement is handed to the agent's lanes.
/// </summary>
internal sealed class SoakRevoker(BrokerEnvironment broker, SoakLedger ledger, IReadOnlyList<SoakAgentSlot> slots, Uri upstream)
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);

    public int Revocations { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(Pause, CancellationToken.None);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            var slot = slots[Revocations % slots.Count];
            var old = slot.Current;
            var next = await ReplaceAsync(slot, old, Revocations % 3);
            Revocations++;
            if (next is null)
            {
                return;
            }

            slot.Publish(next);
            await old.RetireAsync(TimeSpan.FromSeconds(120));
        }
    }

    private async Task<SoakIdentity?> ReplaceAsync(SoakAgentSlot slot, SoakIdentity old, int way)
    {
        var baseName = old.Agent.Split('-')[0];
        var newName = $"{baseName}-g{slot.Generation + 1}";
        old.MarkRevoking();
        string? token = null;
        switch (way)
        {
            case 0:
                token = TokenOf(await CliAsync(["agent", "rotate", old.Agent, "--json"]));
                newName = old.Agent;
                break;
            case 1:
                await CliAsync(["agent", "revoke", old.Agent]);
                break;
            default:
                using (var api = broker.Process.CreateApiClient())
                using (var deleted = await api.DeleteAsync(new Uri($"/v1/agents/{old.Agent}", UriKind.Relative)))
                {
                    if (!deleted.IsSuccessStatusCode)
                    {
                        ledger.Fail($"DELETE agent {old.Agent}: {(int)deleted.StatusCode} {await deleted.Content.ReadAsStringAsync()}");
                    }
                }

                break;
        }

        old.MarkRevoked();
        ledger.Count(way switch { 0 => "revocation: rotate (CLI)", 1 => "revocation: revoke (CLI) + create (API)", _ => "revocation: delete (API) + create" });
        await ProbeAsync(old);
        token ??= way == 2 && slot.RateLimit is null
            ? TokenOf(await CliAsync(["agent", "create", newName, .. old.Vaults.SelectMany(v => new[] { "--vault", v }), "--json"]))
            : await CreateWithApiAsync(newName, old.Vaults, slot.RateLimit);
        return token is null ? null : new SoakIdentity(broker, newName, token, old.Vaults);
    }

    // The revoked token once more on every vault and transport; each must be refused (the ledger fails an answer).
    private async Task ProbeAsync(SoakIdentity revoked)
    {
        foreach (var vault in revoked.Vaults)
        {
            var clients = revoked.ClientsFor(vault);
            foreach (var (label, client, fresh) in new[] { ("probe-revoked-h1", clients.KeepAlive, false), ("probe-revoked-h2", clients.Http2, false), ("probe-revoked-new", clients.NewConnection, true) })
            {
                var call = new SoakCall(revoked.Agent, vault, ledger.NextSeq(), "get");
                var started = Stopwatch.GetTimestamp();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                var result = await SoakRequests.GetAsync(client, new Uri(upstream, call.Path), call, fresh, timeout.Token);
                ledger.Record(revoked, call, label, started, result);
                if (result.Outcome == SoakOutcome.AuthRefused)
                {
                    ledger.Count(label + " refused");
                }
            }
        }
    }

    private async Task<string?> CreateWithApiAsync(string name, IReadOnlyList<string> vaults, string? rateLimit)
    {
        using var api = broker.Process.CreateApiClient();
        using var response = await api.PostAsJsonAsync(new Uri("/v1/agents", UriKind.Relative), new Dictionary<string, object?>
        {
            ["name"] = name,
            ["vaults"] = vaults,
            ["rate_limit"] = rateLimit,
        });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            ledger.Fail($"POST /v1/agents {name}: {(int)response.StatusCode} {body}");
            return null;
        }

        return TokenOf(body);
    }

    private async Task<string> CliAsync(string[] args)
    {
        var result = await broker.Process.Cli.RunAsync(args);
        if (result.ExitCode != 0)
        {
            ledger.Fail($"agent-vault {string.Join(' ', args)}: {result}");
        }

        return result.Stdout;
    }

    private string? TokenOf(string json)
    {
        try
        {
            using var answer = JsonDocument.Parse(json);
            return answer.RootElement.GetProperty("token").GetString();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            ledger.Fail("no token in an answer: " + ex.Message);
            return null;
        }
    }
}
