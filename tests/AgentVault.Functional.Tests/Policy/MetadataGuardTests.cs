using System.Net;
using System.Net.Sockets;
using System.Text;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// The broker started with every range open (<c>--dev --allow-network 0.0.0.0/0 --allow-network ::/0</c>) still refuses
/// every documented cloud metadata address, and its IPv6-embedded forms, with 403 <c>destination_blocked</c> before dialing.
/// Runs inside a loopback-only network namespace (scripts/test.sh): a dial that got through would fail with "network
/// unreachable" and show up as 502 <c>upstream_unreachable</c>, which the control case proves.
/// </summary>
public sealed class MetadataGuardTests(MetadataGuardTests.Fixture fixture) : IClassFixture<MetadataGuardTests.Fixture>
{
    /// <summary>Metadata addresses (docs/network-guard.md) and IPv6 forms that embed one.</summary>
    public static readonly string[] Addresses =
    [
        "169.254.169.254", "169.254.170.2", "169.254.170.23", "168.63.129.16", "100.100.100.200", "192.0.0.192", "169.254.42.42",
        "fd00:ec2::254", "fd00:ec2::23", "fd20:ce::254", "fd00:c1::a9fe:a9fe", "fd00:42::42", "fd00:a9fe:a9fe::1", "fe80::a9fe:a9fe",
        "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a9fe:a9fe", "2002:a9fe:a9fe::1", "::ffff:100.100.100.200",
        "64:ff9b::a83f:8110", "2002:c000:c0::1",
    ];

    public static TheoryData<int> Indexes => [.. Enumerable.Range(0, Addresses.Length)];

    [Theory]
    [MemberData(nameof(Indexes))]
    public async Task MetadataAddress_Is403DestinationBlocked_EvenWithDevAndEveryRangeOpen(int index)
    {
        using var client = fixture.Broker.CreateClient(fixture.Token);
        using var response = await client.GetAsync($"https://{Fixture.Host(index)}/latest/meta-data/iam/security-credentials/");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{Addresses[index]}: {(int)response.StatusCode} {body}");
        Assert.Equal("destination_blocked", response.Headers.GetValues("X-Agent-Vault-Error").Single());
        Assert.DoesNotContain(Fixture.Secret, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControlAddress_IsDialed_SoABlockedAnswerIsTheGuardsDoing()
    {
        // Same flags, same route, an address the flags open: the broker dials it (nothing listens) and answers 502.
        using var client = fixture.Broker.CreateClient(fixture.Token);
        using var response = await client.GetAsync($"https://control.metadata.test:{fixture.ClosedPort}/latest/meta-data/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_unreachable", response.Headers.GetValues("X-Agent-Vault-Error").Single());
    }

    /// <summary>The broker with every range open, a name pinned to each metadata address, and a service per name that injects a credential.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public const string Secret = "sk-metadata-guard-7c1e";

        private BrokerEnvironment? _broker;

        internal BrokerEnvironment Broker => _broker ?? throw new InvalidOperationException("not started");

        internal string Token { get; private set; } = string.Empty;

        internal int ClosedPort { get; private set; }

        internal static string Host(int index) => $"meta-{index}.metadata.test";

        public async Task InitializeAsync()
        {
            ClosedPort = FreeLoopbackPort();
            var arguments = new List<string> { "--allow-network", "0.0.0.0/0", "--allow-network", "::/0", "--resolve", "control.metadata.test:127.0.0.1" };
            for (var i = 0; i < Addresses.Length; i++)
            {
                arguments.AddRange(["--resolve", Host(i) + ":" + Addresses[i]]);
            }

            _broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Metadata Guard CA", Arguments = arguments });
            await Broker.PutSecretsAsync(("api", Secret));
            var services = new StringBuilder();
            for (var i = 0; i < Addresses.Length; i++)
            {
                services.Append($"      - {{ name: meta-{i}, host: \"{Host(i)}\", auth: {{ type: bearer, token: API_KEY }} }}\n");
            }

            var tokens = await Broker.ApplyAndGetTokensAsync($$"""
            vaults:
              - name: dev
                credentials:
                  API_KEY: "local:api"
                services:
                  - { name: control, host: "control.metadata.test:{{ClosedPort}}", auth: { type: bearer, token: API_KEY } }
            {{services}}
            agents:
              - name: prober
                vaults: [dev]
            """);
            Token = tokens["prober"];
        }

        public async Task DisposeAsync()
        {
            if (_broker is not null)
            {
                await _broker.DisposeAsync();
            }
        }

        private static int FreeLoopbackPort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
