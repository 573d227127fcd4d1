using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Fakes.Moto;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.AuthSchemes;

/// <summary>
/// moto with SigV4 enforced, behind a TLS front whose certificate (per-run test CA) covers the AWS endpoint names of
/// us-east-1; the real broker pins those names to 127.0.0.1 (<c>--resolve</c>) and trusts the test CA. The vault holds
/// moto's real IAM keys in the file store and one <c>aws-sigv4</c> service for <c>*.us-east-1.amazonaws.com:PORT</c>
/// (service and region derived from the host). The agent holds only <see cref="DummyKeyId"/>.
/// </summary>
public sealed class AwsSigV4Fixture : IAsyncLifetime
{
    public const string Vault = "aws";
    public const string Region = "us-east-1";
    public const string DummyKeyId = "AKIDUMMYAGENTKEY0000";
    public const string DummySecret = "dummy-agent-secret-not-a-real-key";

    private static readonly string[] Services = ["sts", "secretsmanager", "s3"];

    private BrokerEnvironment? _environment;
    private MotoServer? _moto;
    private TlsTerminator? _front;

    public BrokerEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

    public TestCertificateAuthority Ca => Environment.UpstreamCa;

    public BrokerProcess Broker => Environment.Process;

    public MotoServer Moto => _moto ?? throw new InvalidOperationException("not started");

    /// <summary>The TLS port in front of moto (the port of every AWS endpoint URL).</summary>
    public int Port => _front?.Port ?? throw new InvalidOperationException("not started");

    public string Token { get; private set; } = string.Empty;

    /// <summary>An AWS CLI config file: region us-east-1 and path-style S3 addressing (one pinned name per service).</summary>
    public string AwsConfigFile { get; private set; } = string.Empty;

    /// <summary>The endpoint URL of an AWS service through its real host name, e.g. <c>https://sts.us-east-1.amazonaws.com:PORT</c>.</summary>
    public string Endpoint(string service) => $"https://{service}.{Region}.amazonaws.com:{Port}";

    /// <summary>The same moto, reached directly (no broker) at <c>https://127.0.0.1:PORT</c>.</summary>
    public string DirectEndpoint => $"https://127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        _environment = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            UpstreamCaName = "AWS Front Test CA",
            Hosts = Services.Select(s => $"{s}.{Region}.amazonaws.com"),
            Arguments = ["--allow-network", "127.0.0.0/8"],

            // Debug level, so the leak checks cover every log line the broker can write.
            DebugLog = true,
        });
        _moto = Environment.Own(await MotoServer.StartAsync());
        _front = Environment.Own(TlsTerminator.Start(Ca.IssueServerCertificate([.. Services.Select(s => $"{s}.{Region}.amazonaws.com"), "127.0.0.1"]), Moto.Endpoint.Port));
        await Environment.PutSecretsAsync(("aws-key-id", Moto.AccessKeyId), ("aws-secret", Moto.SecretAccessKey));
        Token = (await Environment.ApplyAndGetTokensAsync(JsonNode.Parse(Config(Port))!))["aws-agent"];
        AwsConfigFile = Path.Combine(Broker.WorkDir, "aws-config");
        await File.WriteAllTextAsync(AwsConfigFile, $"[default]\nregion = {Region}\ns3 =\n    addressing_style = path\n");
    }

    /// <summary>Runs <c>aws ARGS</c> as the agent: through <c>agent-vault run</c>, with dummy keys only.</summary>
    public Task<CliResult> AwsThroughBrokerAsync(string service, params string[] args)
    {
        var agent = Environment.AgentCli(Token, Vault).With(AgentEnvironment());
        return agent.RunAsync(["run", "--", AwsCliPath, "--endpoint-url", Endpoint(service), .. args], stdin: null, timeout: TimeSpan.FromSeconds(120));
    }

    /// <summary>Runs the same <c>aws ARGS</c> straight at moto (no broker) with the agent's dummy keys.</summary>
    public Task<ClientProcess.Result> AwsDirectAsync(params string[] args) =>
        ClientProcess.RunAsync(AwsCliPath, ["--endpoint-url", DirectEndpoint, "--ca-bundle", Ca.PemPath, .. args],
            AgentEnvironment(), timeout: TimeSpan.FromSeconds(120));

    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
    }

    /// <summary>Debian's awscli (scripts/deps), preferred over another <c>aws</c> that PATH may hold.</summary>
    private static string AwsCliPath => File.Exists("/usr/bin/aws") ? "/usr/bin/aws" : "aws";

    private Dictionary<string, string?> AgentEnvironment() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = DummyKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = DummySecret,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_DEFAULT_REGION"] = Region,
        ["AWS_CONFIG_FILE"] = AwsConfigFile,
        ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(Broker.WorkDir, "no-aws-credentials"),
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_PAGER"] = string.Empty,
        ["AWS_CA_BUNDLE"] = null,
    };

    private static string Config(int port) => $$"""
    {
      "vaults": [{
        "name": "{{Vault}}",
        "credentials": { "AWS_KEY_ID": "local:aws-key-id", "AWS_SECRET": "local:aws-secret" },
        "services": [
          { "name": "aws", "host": "*.{{Region}}.amazonaws.com:{{port}}", "auth": { "type": "aws-sigv4", "access_key_id": "AWS_KEY_ID", "secret_access_key": "AWS_SECRET" } }
        ]
      }],
      "agents": [{ "name": "aws-agent", "vaults": ["{{Vault}}"] }]
    }
    """;
}
