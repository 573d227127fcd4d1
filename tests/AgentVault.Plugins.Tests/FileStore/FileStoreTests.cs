using System.Text;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.FileStore;
using AgentVault.Testing.Secrets;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Plugins.Tests.FileStore;

public sealed class FileStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "av-filestore-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = new();
    private readonly TestProtector _protector = new();

    public FileStoreTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public async Task SetGetListDelete_RoundTrip()
    {
        await using var store = Create();

        await store.SetSecretAsync("openai", "sk-1", CancellationToken.None);
        await store.SetSecretAsync("anthropic", """{"key":"a-1"}""", CancellationToken.None);
        await store.SetSecretAsync("openai", "sk-2", CancellationToken.None);

        Assert.Equal("sk-2", (await store.GetSecretAsync(new SecretRequest("openai"), CancellationToken.None)).Value);
        Assert.Equal("""{"key":"a-1"}""", (await store.GetSecretAsync(new SecretRequest("anthropic"), CancellationToken.None)).Value);
        Assert.Equal(["anthropic", "openai"], await store.ListSecretNamesAsync(CancellationToken.None));
        Assert.True(await store.DeleteSecretAsync("openai", CancellationToken.None));
        Assert.False(await store.DeleteSecretAsync("openai", CancellationToken.None));
        Assert.Equal(["anthropic"], await store.ListSecretNamesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task NewInstance_ReadsWhatAnotherWrote()
    {
        await using (var first = Create())
        {
            await first.SetSecretAsync("openai", "sk-1", CancellationToken.None);
        }

        await using var second = Create();
        Assert.Equal("sk-1", (await second.GetSecretAsync(new SecretRequest("openai"), CancellationToken.None)).Value);
    }

    [Fact]
    public async Task FileOnDisk_IsEncrypted_AndOwnerOnly()
    {
        await using var store = Create();
        await store.SetSecretAsync("openai-key-name", "sk-very-secret", CancellationToken.None);

        var path = Path.Combine(_dir, "secrets.enc");
        var bytes = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(path));
        Assert.DoesNotContain("sk-very-secret", bytes, StringComparison.Ordinal);
        Assert.DoesNotContain("openai-key-name", bytes, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task TamperedFile_IsDetected()
    {
        await using var store = Create();
        await store.SetSecretAsync("openai", "sk-1", CancellationToken.None);
        var path = Path.Combine(_dir, "secrets.enc");
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^1] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("openai"), CancellationToken.None));

        Assert.Equal(SecretErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains("cannot be decrypted", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SecretStoreException>(() => store.TestAsync(CancellationToken.None));
    }

    [Fact]
    public async Task FileCopiedToAnotherPath_DoesNotDecrypt()
    {
        await using (var store = Create())
        {
            await store.SetSecretAsync("openai", "sk-1", CancellationToken.None);
        }

        File.Copy(Path.Combine(_dir, "secrets.enc"), Path.Combine(_dir, "other.enc"));
        await using var moved = Create(new JsonObject { ["path"] = "other.enc" });

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => moved.GetSecretAsync(new SecretRequest("openai"), CancellationToken.None));
        Assert.Contains("cannot be decrypted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingSecret_IsNotFound_NamingIt()
    {
        await using var store = Create();

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("nope"), CancellationToken.None));

        Assert.Equal(SecretErrorCategory.NotFound, ex.Category);
        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListSecretNamesAsync(CancellationToken.None));
        await store.TestAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("with#hash")]
    [InlineData("with?q")]
    public async Task InvalidName_IsRefused(string name)
    {
        await using var store = Create();

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.SetSecretAsync(name, "v", CancellationToken.None));
        Assert.Equal(SecretErrorCategory.InvalidConfiguration, ex.Category);
    }

    [Fact]
    public async Task ConcurrentWrites_AllPersist()
    {
        await using var store = Create();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.SetSecretAsync($"k{i:00}", $"v{i}", CancellationToken.None)));

        Assert.Equal(20, (await store.ListSecretNamesAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public void WithoutProtector_RefusesToStart()
    {
        var ex = Assert.Throws<SecretStoreException>(() => new FileStoreFactory().Create(Context(null, protector: null)));

        Assert.Equal(SecretErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains("master key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativePath_IsUnderDataDirectory()
    {
        var store = (FileSecretStore)new FileStoreFactory().Create(Context(new JsonObject { ["path"] = "sub/s.enc" }, _protector));

        Assert.Equal(Path.Combine(_dir, "sub", "s.enc"), store.FilePath);
    }

    [Theory]
    [InlineData("""{"path":"x.enc"}""", "")]
    [InlineData("""{}""", "")]
    [InlineData("""{"path":""}""", "path")]
    [InlineData("""{"path":5}""", "path")]
    [InlineData("""{"token":"abc"}""", "token")]
    public void Validate_ReportsProblemsBySetting(string json, string problemPath)
    {
        var validation = new SettingsValidation();
        new FileStoreFactory().Validate(new PluginSettings(JsonNode.Parse(json)!.AsObject()), validation);

        Assert.Equal(problemPath, string.Join(",", validation.Problems.Select(p => p.Path)));
    }

    [Fact]
    public void Plugin_RegistersFileType()
    {
        var registrar = new Registrar();
        new FileStorePlugin().Register(registrar);

        Assert.Equal(["file"], registrar.Types);
    }

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private IWritableSecretStore Create(JsonObject? settings = null) =>
        (IWritableSecretStore)new FileStoreFactory().Create(Context(settings, _protector));

    private SecretStoreContext Context(JsonObject? settings, IAtRestProtector? protector) => new()
    {
        StoreName = "local",
        Settings = new PluginSettings(settings),
        Bootstrap = new NoBootstrap(),
        HttpClient = _http,
        LoggerFactory = NullLoggerFactory.Instance,
        TimeProvider = TimeProvider.System,
        DataDirectory = _dir,
        Protector = protector,
    };

    private sealed class NoBootstrap : IBootstrapSecretResolver
    {
        public ValueTask<string> ResolveAsync(string reference, CancellationToken cancellationToken) =>
            throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, "none");
    }

    private sealed class Registrar : IPluginRegistrar
    {
        public List<string> Types { get; } = [];

        public void AddSecretStoreType(ISecretStoreFactory factory) => Types.Add(factory.Type);

        public void AddAuthScheme(Abstractions.Auth.IAuthSchemeFactory factory) => throw new NotSupportedException();
    }
}
