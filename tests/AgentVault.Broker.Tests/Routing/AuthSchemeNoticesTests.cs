using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Broker.Model;
using AgentVault.Broker.Routing;
using AgentVault.Broker.Snapshots;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Routing;

public sealed class AuthSchemeNoticesTests
{
    [Fact]
    public void SchemesWithNotices_AreReportedPerServiceOfTheVault()
    {
        var factory = new NoticeSchemeFactory();
        using var client = new HttpClient();
        var builder = new RouteTableBuilder(new Dictionary<string, IAuthSchemeFactory> { [factory.Name] = factory }, client, NullLoggerFactory.Instance, TimeProvider.System);
        var table = builder.Build(Config(), 1);

        var notices = AuthSchemeNotices.Collect(table, "dev");

        var notice = Assert.Single(notices);
        Assert.Equal(new ServiceNotice("crm", "CRM_REFRESH", "stale: rotated"), notice);
        Assert.Empty(AuthSchemeNotices.Collect(table, "ops"));
        Assert.Empty(AuthSchemeNotices.Collect(table, "ghost"));
    }

    [Fact]
    public void NoticeRaisedAfterBuild_IsSeenWithoutRebuild()
    {
        var factory = new NoticeSchemeFactory();
        using var client = new HttpClient();
        var builder = new RouteTableBuilder(new Dictionary<string, IAuthSchemeFactory> { [factory.Name] = factory }, client, NullLoggerFactory.Instance, TimeProvider.System);
        var table = builder.Build(Config(), 1);
        var quiet = factory.Created.Single(s => s.Key == "OPS_REFRESH");

        quiet.Raise("stale: rotated later");

        Assert.Equal("stale: rotated later", Assert.Single(AuthSchemeNotices.Collect(table, "ops")).Message);
    }

    private static ConfigDocument Config() => new()
    {
        Vaults =
        [
            new VaultDefinition
            {
                Name = "dev",
                Credentials = new() { ["CRM_REFRESH"] = new() { Ref = "s:crm" }, ["GH"] = new() { Ref = "s:gh" } },
                Services =
                [
                    new ServiceDefinition { Name = "github", Host = "api.github.com", Auth = new JsonObject { ["type"] = "bearer-less", ["key"] = "GH" } },
                    new ServiceDefinition { Name = "crm", Host = "crm.example.com", Auth = new JsonObject { ["type"] = "noticing", ["key"] = "CRM_REFRESH", ["notice"] = "stale: rotated" } },
                    new ServiceDefinition { Name = "open", Host = "open.example.com" },
                ],
            },
            new VaultDefinition
            {
                Name = "ops",
                Credentials = new() { ["OPS_REFRESH"] = new() { Ref = "s:ops" } },
                Services = [new ServiceDefinition { Name = "ops-api", Host = "ops.example.com", Auth = new JsonObject { ["type"] = "noticing", ["key"] = "OPS_REFRESH" } }],
            },
        ],
    };

    private sealed class NoticeSchemeFactory : IAuthSchemeFactory
    {
        public string Name => "noticing";

        public IReadOnlyCollection<string> CredentialSettings { get; } = ["key"];

        public List<NoticeScheme> Created { get; } = [];

        public void Validate(PluginSettings settings, SettingsValidation validation)
        {
        }

        public IAuthScheme Create(AuthSchemeContext context)
        {
            var scheme = new NoticeScheme(context.Settings.GetString("key")!);
            if (context.Settings.GetString("notice") is { } message)
            {
                scheme.Raise(message);
            }

            Created.Add(scheme);
            return scheme;
        }
    }

    private sealed class NoticeScheme(string key) : IAuthScheme, IAuthSchemeStatus
    {
        private volatile AuthSchemeNotice[] _notices = [];

        public string Key => key;

        public IReadOnlyCollection<string> HeadersToStrip => [];

        public IReadOnlyList<AuthSchemeNotice> Notices => _notices;

        public void Raise(string message) => _notices = [new AuthSchemeNotice(key, message)];

        public ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
