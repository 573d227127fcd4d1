using System.Text.RegularExpressions;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Docs;

/// <summary>
/// The documents cannot drift from the binary: every <c>```console</c> block of README.md and docs/cli.md runs, in order, in
/// one shell per document, against a fresh <c>agent-vault server --dev</c> started as the document says (the reader's own
/// <c>HOME</c>, default ports), with the public APIs it calls stood in for on loopback. Each command must exit as documented
/// and print what the document shows (<see cref="OutputMatcher"/>); the server's first lines must be the ones the
/// <c>```console server</c> block shows. A placeholder such as <c>avt_…</c> in a command is the last such value printed.
/// The shell works in a scratch copy of the checkout's <c>samples/</c> (and <c>src</c>, linked), so nothing is written to
/// the checkout.
/// </summary>
public sealed partial class DocumentedCommandsTests
{
    // What the reader has in their environment for the walkthrough (their own API keys).
    private static readonly Dictionary<string, string> Keys = new()
    {
        ["OPENAI_API_KEY"] = "sk-docs-openai-5f1c2e",
        ["ANTHROPIC_API_KEY"] = "sk-ant-docs-8b3d7a",
        ["GITHUB_TOKEN"] = "ghp_docs0a9e4c",
    };

    [Fact]
    public Task Readme_RunsAsWritten() => RunAsync("README.md");

    [Fact]
    public Task CliReference_RunsAsWritten() => RunAsync("docs/cli.md");

    [Fact]
    public async Task CliReference_ListsEveryServerFlag()
    {
        var help = await AgentVault.Testing.Upstream.ClientProcess.RunAsync(Path.Combine(TestPaths.BrokerDirectory, "agent-vault"), ["server", "--help"]);
        var flags = ServerFlag().Matches(help.StdOut).Select(m => m.Groups[1].Value).Where(f => f != "--help").ToList();
        Assert.True(flags.Count > 20, help.ToString());
        var reference = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepoRoot, "docs", "cli.md"));
        Assert.All(flags, flag => Assert.Contains($"| `{flag}", reference, StringComparison.Ordinal));
    }

    private static async Task RunAsync(string document)
    {
        var blocks = MarkdownExamples.Read(Path.Combine(TestPaths.RepoRoot, document));
        Assert.NotEmpty(blocks.SelectMany(b => b.Commands));
        var home = Directory.CreateTempSubdirectory("av-docs-home-").FullName;
        var bin = Directory.CreateDirectory(Path.Combine(home, "bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "agent-vault"), Path.Combine(TestPaths.BrokerDirectory, "agent-vault"));
        var work = Directory.CreateDirectory(Path.Combine(home, "work")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(work, "src"), Path.Combine(TestPaths.RepoRoot, "src"));
        ControlPlane.PluginTests.CopyDirectory(Path.Combine(TestPaths.RepoRoot, "samples"), Path.Combine(work, "samples"));
        try
        {
            await using var standIn = await InternetStandIn.StartAsync(Keys);
            var environment = new Dictionary<string, string?>
            {
                ["HOME"] = home,
                ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["TERM"] = "dumb",
                ["XDG_CONFIG_HOME"] = null,
                ["XDG_CACHE_HOME"] = null,
                ["SSL_CERT_FILE"] = null,
            };
            foreach (var (name, value) in Keys)
            {
                environment[name] = value;
            }

            var serverEnvironment = new Dictionary<string, string?>(environment)
            {
                ["AGENT_VAULT_RESOLVE"] = InternetStandIn.Resolve,
                ["AGENT_VAULT_UPSTREAM_CA"] = standIn.Ca.PemPath,
            };
            await using var server = await DocumentedServer.StartAsync(serverEnvironment);
            var failures = new List<string>();
            if (blocks.SingleOrDefault(b => b.Server) is { } serverBlock &&
                OutputMatcher.CompareUnordered(serverBlock.Commands.Single().Expected, server.StartupLines) is { } startupDifference)
            {
                failures.Add($"{serverBlock.Source}: the server's first start\n{startupDifference}");
            }

            await using var shell = new ShellSession(work, environment);
            var printed = new List<string>();
            foreach (var command in blocks.Where(b => !b.Server).SelectMany(b => b.Commands))
            {
                var (lines, exitCode) = await shell.RunAsync(FillPlaceholders(command.Command, printed));
                printed.AddRange(lines);
                if (exitCode != command.ExitCode)
                {
                    failures.Add($"{command}\nexited {exitCode}, documented {command.ExitCode}; it printed:\n  {string.Join("\n  ", lines)}");
                }
                else if (OutputMatcher.Compare(command.Expected, lines) is { } difference)
                {
                    failures.Add($"{command}\n{difference}");
                }
            }

            Assert.True(failures.Count == 0, $"{document}: {failures.Count} documented command(s) differ from the binary:\n\n" + string.Join("\n\n", failures));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    // avt_… → the last agent token printed (likewise ava_, prp_, apr_, tok_, grt_).
    private static string FillPlaceholders(string command, List<string> printed) =>
        Placeholder().Replace(command, m =>
        {
            var prefix = m.Groups[1].Value;
            var value = printed.SelectMany(l => Regex.Matches(l, $@"\b{prefix}_[A-Za-z0-9_-]+").Select(x => x.Value)).LastOrDefault();
            return value ?? throw new InvalidOperationException($"'{command}' uses {prefix}_… but nothing printed such a value before it");
        });

    [GeneratedRegex(@"^\s+(--[a-z-]+)", RegexOptions.Multiline)]
    private static partial Regex ServerFlag();

    [GeneratedRegex(@"\b(avt|ava|prp|apr|tok|grt)_…")]
    private static partial Regex Placeholder();
}
