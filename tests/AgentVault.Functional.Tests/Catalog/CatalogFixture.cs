using AgentVault.Functional.Tests.ControlPlane;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Catalog;

/// <summary>
/// A real broker with an empty vault <c>dev</c>, an agent <c>coder</c> on it, the secrets of two catalog templates in the
/// <c>--dev</c> file store, and one upstream answering as <c>openai.upstream.test</c> and <c>telegram.upstream.test</c>
/// (pinned to 127.0.0.1 with <c>--resolve</c>); tests add catalog services with <c>--host</c> pointing at it.
/// </summary>
public sealed class CatalogFixture : IAsyncLifetime
{
    public const string OpenAiKey = "sk-proj-catalog-OPENAI-SECRET-4f1e";
    public const string TelegramToken = "123456:catalog-TELEGRAM-SECRET-9a8b";

    private BrokerEnvironment? _broker;
    private TestUpstream? _upstream;

    public BrokerEnvironment Broker => _broker ?? throw new InvalidOperationException("not started");

    public TestUpstream Upstream => _upstream ?? throw new InvalidOperationException("not started");

    public string AgentToken { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            UpstreamCaName = "Catalog Upstream CA",
            Hosts = ["openai.upstream.test", "telegram.upstream.test"],
        });
        _upstream = Broker.Own(await TestUpstream.StartAsync(Broker.UpstreamCa, endpoints: CatalogUpstreamEndpoints.Create(OpenAiKey, TelegramToken)));
        await Broker.PutSecretsAsync(("openai", OpenAiKey), ("telegram", TelegramToken));
        CliAssert.Ok(await Broker.Process.Cli.RunAsync("vault", "create", "dev"));
        AgentToken = await Broker.CreateAgentAsync("coder", "dev");
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    /// <summary>The CLI as the agent only: its token, and a data directory without the admin token file.</summary>
    public CliRunner AgentCli(string token) =>
        Broker.Process.Cli.With([new("AGENT_VAULT_TOKEN", token), new("AGENT_VAULT_ADMIN_TOKEN", null), new("AGENT_VAULT_DATA_DIR", Path.Combine(Broker.Process.WorkDir, "agent-side"))]);
}
