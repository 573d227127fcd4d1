using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Server;
using AgentVault.Testing.Secrets;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Secrets;

public sealed class PluginCatalogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "av-plugins-" + Guid.NewGuid().ToString("N"));

    public PluginCatalogTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public async Task PluginsDirectory_LoadsRealFileStore_AndReportsBrokenFolders()
    {
        CopyBuiltPlugin("FileStore", "FileStore");
        CopyBuiltPlugin("FileStore", "FileStoreCopy");
        Directory.CreateDirectory(Path.Combine(_dir, "Broken"));
        await File.WriteAllBytesAsync(Path.Combine(_dir, "Broken", "Broken.dll"), [0x4d, 0x5a, 0x00, 0x01, 0x02, 0x03]);
        Directory.CreateDirectory(Path.Combine(_dir, "Empty"));
        Directory.CreateDirectory(Path.Combine(_dir, "NoEntry"));
        File.Copy(typeof(Assert).Assembly.Location, Path.Combine(_dir, "NoEntry", "NoEntry.dll"));

        using var catalog = new PluginCatalog(_dir, [new NamedScheme("bearer")], NullLoggerFactory.Instance);

        var byName = catalog.Plugins.ToDictionary(p => p.Name);
        Assert.Equal(["builtin", "Broken", "Empty", "FileStore", "FileStoreCopy", "NoEntry"], catalog.Plugins.Select(p => p.Name));
        Assert.Equal(("loaded", (string?)null), (byName["builtin"].Status, byName["builtin"].Error));
        Assert.Equal(["bearer"], byName["builtin"].AuthSchemes);

        var fileStore = byName["FileStore"];
        Assert.Equal("loaded", fileStore.Status);
        Assert.Equal(["file"], fileStore.StoreTypes);
        Assert.False(string.IsNullOrEmpty(fileStore.Version));

        Assert.Equal("failed", byName["Broken"].Status);
        Assert.Contains("cannot load Broken.dll", byName["Broken"].Error, StringComparison.Ordinal);
        Assert.Equal("failed", byName["Empty"].Status);
        Assert.Contains("missing Empty.dll", byName["Empty"].Error, StringComparison.Ordinal);
        Assert.Equal("failed", byName["NoEntry"].Status);
        Assert.Contains("IAgentVaultPlugin", byName["NoEntry"].Error, StringComparison.Ordinal);
        Assert.Equal("failed", byName["FileStoreCopy"].Status);
        Assert.Contains("store type 'file' is already provided by plugin 'FileStore'", byName["FileStoreCopy"].Error, StringComparison.Ordinal);

        Assert.Equal(["file"], catalog.StoreTypes.Keys);
        Assert.Equal(["bearer"], catalog.AuthSchemes.Keys);
    }

    [Fact]
    public async Task LoadedFileStore_StoresAndReadsSecretsThroughTheContract()
    {
        CopyBuiltPlugin("FileStore", "FileStore");
        using var catalog = new PluginCatalog(_dir, [], NullLoggerFactory.Instance);
        using var http = new HttpClient();
        var context = new SecretStoreContext
        {
            StoreName = "local",
            Settings = new PluginSettings(null),
            Bootstrap = new BootstrapSecretResolver("local", () => null),
            HttpClient = http,
            LoggerFactory = NullLoggerFactory.Instance,
            TimeProvider = TimeProvider.System,
            DataDirectory = _dir,
            Protector = new TestProtector(),
        };

        await using var store = catalog.StoreTypes["file"].Create(context);
        var writable = Assert.IsAssignableFrom<IWritableSecretStore>(store);
        await writable.SetSecretAsync("openai", "sk-test", CancellationToken.None);

        Assert.Equal("sk-test", (await store.GetSecretAsync(new SecretRequest("openai"), CancellationToken.None)).Value);
        Assert.True(File.Exists(Path.Combine(_dir, "secrets.enc")));
    }

    [Fact]
    public async Task SamplePlugin_DroppedIntoPluginsDirectory_IsListedAndWorks()
    {
        var target = Path.Combine(_dir, "HelloStore");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(SampleOutputDirectory()))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        using var catalog = new PluginCatalog(_dir, [], NullLoggerFactory.Instance);
        using var http = new HttpClient();

        var info = catalog.Plugins.Single(p => p.Name == "HelloStore");
        Assert.Equal(("loaded", "1.0.0"), (info.Status, info.Version));
        Assert.Equal(["hello"], info.StoreTypes);
        await using var store = catalog.StoreTypes["hello"].Create(new SecretStoreContext
        {
            StoreName = "hi",
            Settings = new PluginSettings(new System.Text.Json.Nodes.JsonObject { ["greeting"] = "hi" }),
            Bootstrap = new BootstrapSecretResolver("hi", () => null),
            HttpClient = http,
            LoggerFactory = NullLoggerFactory.Instance,
            TimeProvider = TimeProvider.System,
            DataDirectory = _dir,
        });
        Assert.Equal("hi, world", (await store.GetSecretAsync(new SecretRequest("world"), CancellationToken.None)).Value);

        // The sample is a model plugin: it refuses settings it does not know and a greeting of the wrong type.
        var validation = new SettingsValidation();
        catalog.StoreTypes["hello"].Validate(new PluginSettings(new System.Text.Json.Nodes.JsonObject { ["bogus"] = "1", ["greeting"] = 5 }), validation);
        Assert.Equal(["bogus", "greeting"], validation.Problems.Select(p => p.Path));
    }

    [Fact]
    public void MissingPluginsDirectory_LoadsOnlyBuiltins()
    {
        using var catalog = new PluginCatalog(Path.Combine(_dir, "nope"), [], NullLoggerFactory.Instance);

        Assert.Equal(["builtin"], catalog.Plugins.Select(p => p.Name));
        Assert.Empty(catalog.StoreTypes);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void CopyBuiltPlugin(string plugin, string asName)
    {
        var source = BuiltPluginDirectory(plugin);
        var target = Path.Combine(_dir, asName);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            var name = Path.GetFileName(file);
            File.Copy(file, Path.Combine(target, name == plugin + ".dll" ? asName + ".dll" : name));
        }
    }

    private static string SampleOutputDirectory()
    {
        var outputDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dir = Path.Combine(RepositoryRoot(outputDir).FullName, "samples", "HelloStore", "bin", outputDir.Parent!.Name, outputDir.Name);
        Assert.True(File.Exists(Path.Combine(dir, "HelloStore.dll")), $"build samples/HelloStore first: {dir}");
        Assert.False(File.Exists(Path.Combine(dir, "AgentVault.Abstractions.dll")), "the sample must not ship the contract assembly");
        return dir;
    }

    private static DirectoryInfo RepositoryRoot(DirectoryInfo from)
    {
        var root = from;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "AgentVault.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        return root;
    }

    /// <summary>The broker build publishes every repo plugin into its output's plugins/ folder; use that real build.</summary>
    private static string BuiltPluginDirectory(string plugin)
    {
        var outputDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = outputDir.Name;
        var configuration = outputDir.Parent!.Name;
        var dir = Path.Combine(RepositoryRoot(outputDir).FullName, "src", "Broker", "bin", configuration, framework, "plugins", plugin);
        Assert.True(File.Exists(Path.Combine(dir, plugin + ".dll")), $"build the broker first: {dir} has no {plugin}.dll");
        return dir;
    }

    private sealed class NamedScheme(string name) : IAuthSchemeFactory
    {
        public string Name => name;

        public IReadOnlyCollection<string> CredentialSettings => [];

        public void Validate(PluginSettings settings, SettingsValidation validation)
        {
        }

        public IAuthScheme Create(AuthSchemeContext context) => throw new NotSupportedException();
    }
}
