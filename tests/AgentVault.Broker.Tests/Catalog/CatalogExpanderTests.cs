using AgentVault.Broker.Catalog;

namespace AgentVault.Broker.Tests.Catalog;

/// <summary>Expanding one template: presets, parameters, key renames, host overrides and optional keys.</summary>
public sealed class CatalogExpanderTests
{
    private static CatalogTemplate Template(string id) => ServiceCatalog.Default.Find(id) ?? throw new InvalidOperationException(id);

    [Fact]
    public void Expand_WithoutOptions_KeepsTheTemplateServicesWithoutRules()
    {
        var expansion = ServiceCatalog.Expand(Template("openai"));

        var service = Assert.Single(expansion.Services);
        Assert.Equal("api.openai.com", service.Host);
        Assert.Equal("OPENAI_API_KEY", service.Auth!["token"]!.GetValue<string>());
        Assert.Null(service.Rules);
        Assert.Equal(["OPENAI_API_KEY"], expansion.RequiredKeys);
    }

    [Fact]
    public void Expand_PerServicePreset_SetsEachServiceItsOwnRules()
    {
        var expansion = ServiceCatalog.Expand(Template("github"), new CatalogExpandOptions { Preset = "read-only" });

        Assert.Equal(["GET /**"], expansion.Services.Single(s => s.Name == "github").Rules!.Allow);
        Assert.Contains("POST /*/*/git-upload-pack", expansion.Services.Single(s => s.Name == "github-git").Rules!.Allow!);
        Assert.DoesNotContain(expansion.Services.SelectMany(s => s.Rules!.Allow!), r => r.Contains("receive-pack", StringComparison.Ordinal));
    }

    [Fact]
    public void Expand_UnknownPreset_NamesThePresetsThereAre()
    {
        var error = Assert.Throws<CatalogException>(() => ServiceCatalog.Expand(Template("openai"), new CatalogExpandOptions { Preset = "write-only" }));

        Assert.Contains("read-only, inference", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_ReadOnlyOfATemplateWithout_GivesTheStatedReason()
    {
        var error = Assert.Throws<CatalogException>(() => ServiceCatalog.Expand(Template("linear"), new CatalogExpandOptions { Preset = "read-only" }));

        Assert.Contains("GraphQL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_RenamedKeys_ReachAuthSettingsHeaderTemplatesAndSubstitutions()
    {
        var datadog = ServiceCatalog.Expand(Template("datadog"), new CatalogExpandOptions { Keys = new Dictionary<string, string> { ["DD_API_KEY"] = "OPS_DD_KEY" } });
        var telegram = ServiceCatalog.Expand(Template("telegram"), new CatalogExpandOptions { Keys = new Dictionary<string, string> { ["TELEGRAM_BOT_TOKEN"] = "TG" } });
        var github = ServiceCatalog.Expand(Template("github"), new CatalogExpandOptions { Keys = new Dictionary<string, string> { ["GITHUB_TOKEN"] = "GH_BOT" } });

        Assert.Equal("{{ OPS_DD_KEY }}", datadog.Services[0].Auth!["headers"]!["DD-API-KEY"]!.GetValue<string>());
        Assert.Equal("{{ DD_APP_KEY }}", datadog.Services[0].Auth!["headers"]!["DD-APPLICATION-KEY"]!.GetValue<string>());
        Assert.Equal(["DD_APP_KEY", "OPS_DD_KEY"], datadog.RequiredKeys.Order(StringComparer.Ordinal));
        Assert.Equal("TG", Assert.Single(telegram.Services[0].Substitutions!).Key);
        Assert.All(github.Services, s => Assert.DoesNotContain("GITHUB_TOKEN", s.Auth!.ToJsonString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("NOPE_KEY", "GH", "has no credential key 'NOPE_KEY'")]
    [InlineData("GITHUB_TOKEN", "lower-case", "is not a credential key")]
    public void Expand_BadKeyRename_IsRefused(string from, string to, string message)
    {
        var error = Assert.Throws<CatalogException>(() => ServiceCatalog.Expand(Template("github"), new CatalogExpandOptions { Keys = new Dictionary<string, string> { [from] = to } }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_Parameters_FillHostsAndAuthLiterals_AndDefaultsApply()
    {
        var jira = ServiceCatalog.Expand(Template("jira"), new CatalogExpandOptions { Parameters = new Dictionary<string, string> { ["site"] = "Acme" } });
        var bedrock = ServiceCatalog.Expand(Template("aws-bedrock"), new CatalogExpandOptions { Parameters = new Dictionary<string, string> { ["region"] = "eu-west-3" } });
        var datadog = ServiceCatalog.Expand(Template("datadog"));

        Assert.Equal("acme.atlassian.net", jira.Services[0].Host);
        Assert.Equal("bedrock-runtime.eu-west-3.amazonaws.com", bedrock.Services[0].Host);
        Assert.Equal("eu-west-3", bedrock.Services[0].Auth!["region"]!.GetValue<string>());
        Assert.Equal("api.datadoghq.com", datadog.Services[0].Host);
    }

    [Theory]
    [InlineData(null, "needs parameter 'site'")]
    [InlineData("evil.example/x", "must be a host name part")]
    [InlineData("-acme", "must be a host name part")]
    public void Expand_MissingOrBadParameter_IsRefused(string? site, string message)
    {
        var parameters = site is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["site"] = site };

        var error = Assert.Throws<CatalogException>(() => ServiceCatalog.Expand(Template("jira"), new CatalogExpandOptions { Parameters = parameters }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_UnknownParameter_IsRefused()
    {
        var error = Assert.Throws<CatalogException>(() => ServiceCatalog.Expand(Template("openai"), new CatalogExpandOptions { Parameters = new Dictionary<string, string> { ["region"] = "x" } }));

        Assert.Contains("has no parameter 'region'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_HostOverride_ReplacesTheOnlyServiceHostOrANamedOne()
    {
        var openai = ServiceCatalog.Expand(Template("openai"), new CatalogExpandOptions { Hosts = new Dictionary<string, string> { [""] = "api.upstream.test:8443" } });
        var github = ServiceCatalog.Expand(Template("github"), new CatalogExpandOptions { Hosts = new Dictionary<string, string> { ["github"] = "ghe.example.com/api/**" } });

        Assert.Equal("api.upstream.test:8443", openai.Services[0].Host);
        Assert.Equal("ghe.example.com/api/**", github.Services.Single(s => s.Name == "github").Host);
        Assert.Equal("github.com", github.Services.Single(s => s.Name == "github-git").Host);
    }

    [Theory]
    [InlineData("", "api.example.com", "has several services")]
    [InlineData("gitlab", "api.example.com", "has no service 'gitlab'")]
    [InlineData("github", "https://ghe.example.com", "without a scheme")]
    public void Expand_BadHostOverride_IsRefused(string service, string host, string message)
    {
        var error = Assert.Throws<CatalogException>(() => ServiceCatalog.Expand(Template("github"), new CatalogExpandOptions { Hosts = new Dictionary<string, string> { [service] = host } }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_OptionalKey_IsLeftOutUnlessChosen()
    {
        var without = ServiceCatalog.Expand(Template("aws-s3"));
        var with = ServiceCatalog.Expand(Template("aws-s3"), new CatalogExpandOptions { OptionalKeys = new HashSet<string> { "AWS_SESSION_TOKEN" } });

        Assert.All(without.Services, s => Assert.Null(s.Auth!["session_token"]));
        Assert.DoesNotContain(without.Credentials, c => c.Key == "AWS_SESSION_TOKEN");
        Assert.All(with.Services, s => Assert.Equal("AWS_SESSION_TOKEN", s.Auth!["session_token"]!.GetValue<string>()));
        Assert.DoesNotContain("AWS_SESSION_TOKEN", with.RequiredKeys);
    }

    [Fact]
    public void Expand_Name_RenamesTheServicesButPresetsAndHostsStillNameTheTemplates()
    {
        var github = ServiceCatalog.Expand(Template("github"), new CatalogExpandOptions
        {
            Name = "work",
            Preset = "read-only",
            Hosts = new Dictionary<string, string> { ["github-git"] = "git.example.com" },
        });
        var openai = ServiceCatalog.Expand(Template("openai"), new CatalogExpandOptions { Name = "openai-team-b" });

        Assert.Equal(["work", "work-git"], github.Services.Select(s => s.Name));
        Assert.Equal("git.example.com", github.Services[1].Host);
        Assert.Contains("POST /*/*/git-upload-pack", github.Services[1].Rules!.Allow!);
        Assert.Equal("openai-team-b", Assert.Single(openai.Services).Name);
        Assert.Throws<CatalogException>(() => ServiceCatalog.Expand(Template("openai"), new CatalogExpandOptions { Name = "Bad_Name" }));
    }

    [Fact]
    public void ExpandEntry_FromARequestBody_UsesItsOptions_AndRefusesAnUnknownId()
    {
        var entry = System.Text.Json.JsonSerializer.Deserialize<CatalogEntry>(
            """{"catalog":"jira","name":"jira-acme","preset":"read-only","parameters":{"site":"acme"},"keys":{"ATLASSIAN_API_TOKEN":"JIRA_TOKEN"}}""",
            Model.ModelJson.Options)!;

        var expansion = ServiceCatalog.Default.Expand(entry);

        var service = Assert.Single(expansion.Services);
        Assert.Equal(("jira-acme", "acme.atlassian.net"), (service.Name, service.Host));
        Assert.Equal("JIRA_TOKEN", service.Auth!["password"]!.GetValue<string>());
        Assert.NotNull(service.Rules);
        Assert.Contains("no template 'nope'", Assert.Throws<CatalogException>(() => ServiceCatalog.Default.Expand(new CatalogEntry { Catalog = "nope" })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_DoesNotChangeTheTemplate()
    {
        var template = Template("datadog");
        var before = template.Services[0].Auth!.ToJsonString();

        ServiceCatalog.Expand(template, new CatalogExpandOptions { Preset = "read-only", Keys = new Dictionary<string, string> { ["DD_API_KEY"] = "OTHER" } });

        Assert.Equal(before, template.Services[0].Auth!.ToJsonString());
        Assert.Null(template.Services[0].Rules);
    }

    [Theory]
    [InlineData("id: openai\nname: X\ndocs: [https://x.example]\ncredentials: []\nservices: []\ntypo: 1\n", "typo")]
    [InlineData("id: other\nname: X\ndocs: [https://x.example]\ncredentials: []\nservices: []\n", "file name")]
    public void Parse_UnknownFieldOrWrongId_IsRefused(string yaml, string message)
    {
        var error = Assert.Throws<CatalogException>(() => CatalogTemplateReader.Parse(yaml, "openai.yaml"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
