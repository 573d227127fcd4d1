using System.Text.RegularExpressions;
using AgentVault.Testing.Broker;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentVault.Broker.Tests.Deployment;

/// <summary>
/// The Dockerfile, deploy/compose.yaml and the Helm chart say what docs/operations.md promises: non-root, no shell at run
/// time, health checks in exec form, secrets only by reference. <c>helm</c> is not installable here, so each chart template
/// is checked as YAML once its Go-template actions are taken out (a line holding only actions is dropped, an inline action
/// becomes a placeholder): that catches broken indentation and structure, not template logic.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Deploy = Path.Combine(TestPaths.RepoRoot, "deploy");
    private static readonly string Chart = Path.Combine(Deploy, "helm", "agent-vault");

    public static TheoryData<string> ChartFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Chart, "templates"), "*.yaml").Append(Path.Combine(Chart, "values.yaml")).Append(Path.Combine(Chart, "Chart.yaml")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Chart, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ChartFiles))]
    public void ChartFile_IsYamlOnceTemplateActionsAreRemoved(string file)
    {
        var root = LoadTemplate(Path.Combine(Chart, file));

        Assert.NotEmpty(root.Children);
    }

    [Fact]
    public void Deployment_RunsNonRootReadOnlyWithExecProbesAndSecretsByReference()
    {
        var deployment = LoadTemplate(Path.Combine(Chart, "templates", "deployment.yaml"));
        var pod = Map(Map(Map(deployment, "spec"), "template"), "spec");
        var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Children.Single();
        var values = LoadTemplate(Path.Combine(Chart, "values.yaml"));

        Assert.Equal("true", Scalar(Map(values, "podSecurityContext"), "runAsNonRoot"));
        Assert.Equal("10001", Scalar(Map(values, "podSecurityContext"), "runAsUser"));
        Assert.Equal("true", Scalar(Map(values, "securityContext"), "readOnlyRootFilesystem"));
        Assert.Equal("false", Scalar(Map(values, "securityContext"), "allowPrivilegeEscalation"));
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            var command = (YamlSequenceNode)Map(Map(container, probe), "exec")["command"];
            Assert.Equal(["/app/agent-vault", "healthcheck"], command.Children.Take(2).Select(c => ((YamlScalarNode)c).Value));
        }

        var env = ((YamlSequenceNode)container["env"]).Children.Cast<YamlMappingNode>().ToDictionary(e => Scalar(e, "name"));
        Assert.True(env["AGENT_VAULT_MASTER_PASSWORD"].Children.ContainsKey("valueFrom"), "the master password must come from a Secret");
        Assert.True(env["AGENT_VAULT_DATABASE_URL"].Children.ContainsKey("valueFrom"), "the database URL must come from a Secret");
    }

    [Fact]
    public void Compose_RunsPostgresAndTwoBrokersBehindOneBalancer_WithSecretsFromTheEnvironment()
    {
        var compose = Load(Path.Combine(Deploy, "compose.yaml"));
        var services = Map(compose, "services");
        var brokers = services.Children.Where(s => Scalar((YamlMappingNode)s.Value, "image").Contains("AGENT_VAULT_IMAGE", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, brokers.Count);
        Assert.Contains("postgres", services.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        foreach (var (_, broker) in brokers)
        {
            var env = Map((YamlMappingNode)broker, "environment");
            Assert.Matches(@"^\$\{AGENT_VAULT_MASTER_PASSWORD:\?", Scalar(env, "AGENT_VAULT_MASTER_PASSWORD"));
            Assert.Matches(@"^postgres://agent_vault:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432/", Scalar(env, "AGENT_VAULT_DATABASE_URL"));
        }

        var ports = (YamlSequenceNode)Map(services, "balancer")["ports"];
        Assert.Equal(["127.0.0.1:14321:14321", "127.0.0.1:14322:14322"], ports.Children.Select(p => ((YamlScalarNode)p).Value));
    }

    [Fact]
    public void Dockerfile_FinalStageIsNonRootWithoutShellSteps_AndChecksHealthInExecForm()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "Dockerfile"));
        var final = lines.Skip(Array.FindLastIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal))).ToList();

        Assert.DoesNotContain(final, l => l.StartsWith("RUN ", StringComparison.Ordinal));
        Assert.Contains("USER 10001:10001", final);
        Assert.Contains("VOLUME [\"/data\"]", final);
        Assert.Contains(final, l => l.Contains("AGENT_VAULT_API_LISTEN=0.0.0.0:", StringComparison.Ordinal));
        Assert.Contains(final, l => l.Contains("AGENT_VAULT_PROXY_LISTEN=0.0.0.0:", StringComparison.Ordinal));
        Assert.Contains(final, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal) && l.EndsWith("CMD [\"/app/agent-vault\", \"healthcheck\"]", StringComparison.Ordinal));
        Assert.Contains("ENTRYPOINT [\"/app/agent-vault\"]", final);
    }

    private static YamlMappingNode LoadTemplate(string path)
    {
        var kept = File.ReadAllLines(path)
            .Where(l => !ActionsOnly().IsMatch(l))
            .Select(l => Action().Replace(l, "TEMPLATE"));
        return Parse(string.Join('\n', kept), path);
    }

    private static YamlMappingNode Load(string path) => Parse(File.ReadAllText(path), path);

    private static YamlMappingNode Parse(string text, string path)
    {
        var stream = new YamlStream();
        // Compose files share settings through merge keys (<<: *anchor), which only the merging parser resolves.
        stream.Load(new MergingParser(new Parser(new StringReader(text))));
        Assert.True(stream.Documents.Count == 1, $"{path}: expected one YAML document");
        return Assert.IsType<YamlMappingNode>(stream.Documents[0].RootNode);
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => Assert.IsType<YamlMappingNode>(node[key]);

    private static string Scalar(YamlMappingNode node, string key) => Assert.IsType<YamlScalarNode>(node[key]).Value ?? string.Empty;

    [GeneratedRegex(@"^\s*(\{\{.*?\}\}\s*)+$")]
    private static partial Regex ActionsOnly();

    [GeneratedRegex(@"\{\{.*?\}\}")]
    private static partial Regex Action();
}
