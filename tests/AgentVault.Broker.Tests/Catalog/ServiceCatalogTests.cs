using AgentVault.Broker.Catalog;
using AgentVault.Broker.Management;
using AgentVault.Broker.Model;
using AgentVault.Broker.Routing;
using AgentVault.Testing.Broker;

namespace AgentVault.Broker.Tests.Catalog;

/// <summary>The embedded catalog as a whole: enough templates, unique ids, cited docs, and every expansion valid for a real broker.</summary>
public sealed class ServiceCatalogTests(RealSchemes schemes) : IClassFixture<RealSchemes>
{
    public static TheoryData<string> TemplateIds => new(ServiceCatalog.Default.All.Select(t => t.Id));

    [Fact]
    public void Catalog_HasAtLeastThirtyTemplatesWithUniqueIds()
    {
        var ids = ServiceCatalog.Default.All.Select(t => t.Id).ToList();

        Assert.True(ids.Count >= 30, $"only {ids.Count} templates");
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.True(NameRules.IsName(id), $"'{id}' is not a slug"));
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    [InlineData("gemini")]
    [InlineData("mistral")]
    [InlineData("groq")]
    [InlineData("github")]
    [InlineData("gitlab")]
    [InlineData("bitbucket")]
    [InlineData("slack")]
    [InlineData("discord")]
    [InlineData("telegram")]
    [InlineData("stripe")]
    [InlineData("twilio")]
    [InlineData("sendgrid")]
    [InlineData("linear")]
    [InlineData("notion")]
    [InlineData("jira")]
    [InlineData("sentry")]
    [InlineData("datadog")]
    [InlineData("pagerduty")]
    [InlineData("cloudflare")]
    [InlineData("vercel")]
    [InlineData("huggingface")]
    [InlineData("supabase")]
    [InlineData("npm-registry")]
    [InlineData("docker-hub")]
    [InlineData("aws-s3")]
    [InlineData("google-cloud-storage")]
    [InlineData("azure-openai")]
    public void Catalog_HasTheTemplatesTheSpecNames(string id) => Assert.NotNull(ServiceCatalog.Default.Find(id));

    [Theory]
    [MemberData(nameof(TemplateIds))]
    public void Template_CitesHttpsDocumentationAndDescribesEveryKey(string id)
    {
        var template = ServiceCatalog.Default.Find(id)!;

        Assert.NotEmpty(template.Docs);
        Assert.All(template.Docs, url => Assert.True(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == "https", $"'{url}' is not an https URL"));
        Assert.NotEmpty(template.Credentials);
        Assert.All(template.Credentials, c => Assert.True(NameRules.IsCredentialKey(c.Key) && c.Description.Length > 10, $"credential '{c.Key}' needs a key name and a description"));
        Assert.Equal(template.Credentials.Count, template.Credentials.Select(c => c.Key).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(TemplateIds))]
    public void Template_HasAReadOnlyPresetOrSaysWhyNot(string id)
    {
        var template = ServiceCatalog.Default.Find(id)!;
        var hasPreset = template.Presets?.ContainsKey("read-only") == true;

        Assert.True(hasPreset ^ !string.IsNullOrWhiteSpace(template.NoReadOnly), $"{id}: needs either a read-only preset or no_read_only (not both)");
    }

    [Theory]
    [MemberData(nameof(TemplateIds))]
    public void Template_UsesEveryCredentialItDeclaresAndOnlyThose(string id)
    {
        var template = ServiceCatalog.Default.Find(id)!;
        var used = string.Join(' ', template.Services.Select(s => s.Auth?.ToJsonString() + " " + string.Join(' ', (s.Substitutions ?? []).Select(x => x.Key))));

        Assert.All(template.Credentials, c => Assert.Contains(c.Key, used, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TemplateIds))]
    public void Template_ExpandsWithEveryPresetToServicesTheValidatorAccepts(string id)
    {
        var template = ServiceCatalog.Default.Find(id)!;
        var presets = new List<string?> { null };
        presets.AddRange(template.Presets?.Keys.ToList() ?? []);

        foreach (var preset in presets)
        {
            var expansion = ServiceCatalog.Expand(template, new CatalogExpandOptions
            {
                Preset = preset,
                Parameters = SampleParameters(template),
                OptionalKeys = template.Credentials.Select(c => c.Key).ToHashSet(StringComparer.Ordinal),
            });

            var errors = Validate(expansion);

            Assert.True(errors.Count == 0, $"{id} (preset {preset ?? "none"}): " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
            Assert.All(expansion.Services, s => Assert.True(HostPattern.TryParse(s.Host, out _, out _), $"{id}: host '{s.Host}'"));
            Assert.All(expansion.Services, s => Assert.True(schemes.Catalog.AuthSchemes.ContainsKey(s.Auth!["type"]!.GetValue<string>()), $"{id}: unknown scheme"));
            if (preset is not null)
            {
                Assert.All(expansion.Services, s => Assert.NotNull(s.Rules));
            }
        }
    }

    [Theory]
    [MemberData(nameof(TemplateIds))]
    public void Template_PresetsNameOnlyItsOwnServices(string id)
    {
        var template = ServiceCatalog.Default.Find(id)!;
        var names = template.Services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var (preset, definition) in template.Presets ?? [])
        {
            Assert.True(definition.Rules is not null ^ definition.Services is not null, $"{id}/{preset}: set rules or services, not both");
            Assert.All((definition.Services ?? []).Keys, service => Assert.Contains(service, names));
            Assert.Equal(definition.Services is null ? 0 : names.Count, definition.Services?.Count ?? 0);
        }
    }

    [Fact]
    public void DocsCatalogPage_ListsEveryTemplate()
    {
        var page = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "catalog.md"));

        Assert.All(ServiceCatalog.Default.All, t => Assert.Contains($"| `{t.Id}` | {t.Name} |", page, StringComparison.Ordinal));
    }

    [Fact]
    public void Validation_RejectsAnUnknownScheme_SoTheTheoriesCanFail()
    {
        var template = ServiceCatalog.Default.Find("openai")!;
        var broken = template with { Services = [template.Services[0] with { Auth = new() { ["type"] = "no-such-scheme" } }] };

        var errors = Validate(ServiceCatalog.Expand(broken));

        Assert.Contains(errors, e => e.Message.Contains("unknown auth scheme", StringComparison.Ordinal));
    }

    private static Dictionary<string, string> SampleParameters(CatalogTemplate template) =>
        (template.Parameters ?? []).ToDictionary(p => p.Name, p => p.Default ?? p.Example ?? "example-" + p.Name.Replace('_', '-'), StringComparer.Ordinal);

    private List<ValidationError> Validate(CatalogExpansion expansion)
    {
        var vault = new VaultDefinition
        {
            Name = "dev",
            Credentials = expansion.Credentials.ToDictionary(c => c.Key, c => new CredentialDefinition { Ref = "local:" + c.Key.ToLowerInvariant() }, StringComparer.Ordinal),
            Services = [.. expansion.Services],
        };
        var document = new ConfigDocument { Vaults = [vault] };
        return [.. new ConfigValidator(schemes.Catalog).Validate(document, knownStores: new HashSet<string>(StringComparer.Ordinal) { "local" })];
    }
}
