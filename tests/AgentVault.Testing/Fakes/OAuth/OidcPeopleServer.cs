using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using AgentVault.Testing.Upstream;

namespace AgentVault.Testing.Fakes.OAuth;

/// <summary>
/// A real oidc-provider (npm, <c>tests/node</c>) as the identity provider people sign in with: HTTPS on 127.0.0.1 with a
/// certificate of its own test CA (give the broker <see cref="CaPemPath"/> as <c>--upstream-ca</c>), client
/// <see cref="ClientId"/> with <see cref="ClientSecret"/> (authorization code with PKCE, and the device flow), and a
/// development login page on which any email signs in with any password. <see cref="ServerArguments"/> are the broker's flags.
/// </summary>
public sealed class OidcPeopleServer : IAsyncDisposable
{
    public const string ClientId = "agent-vault";
    public const string OtherClientId = "someone-else";
    public const string ClientSecret = "people-client-s3cret";
    public const string SecretVariable = "AGENT_VAULT_TEST_OIDC_SECRET";

    private readonly Process _process;
    private readonly TestCertificateAuthority _ca;
    private readonly string _directory;
    private readonly StringBuilder _stderr;

    private OidcPeopleServer(Process process, TestCertificateAuthority ca, string directory, StringBuilder stderr, Uri issuer)
    {
        _process = process;
        _ca = ca;
        _directory = directory;
        _stderr = stderr;
        Issuer = issuer;
    }

    public Uri Issuer { get; }

    public string CaPemPath => _ca.PemPath;

    /// <summary>What the provider wrote on stderr (for a failing test's message).</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>The broker's flags for this provider; the secret comes from <see cref="SecretVariable"/> (see <see cref="ServerEnvironment"/>).</summary>
    public IReadOnlyList<string> ServerArguments(string clientId = ClientId) =>
        ["--oidc-issuer", Issuer.AbsoluteUri.TrimEnd('/'), "--oidc-client-id", clientId, "--oidc-client-secret", "env:" + SecretVariable, "--upstream-ca", CaPemPath];

    public static IReadOnlyDictionary<string, string?> ServerEnvironment => new Dictionary<string, string?> { [SecretVariable] = ClientSecret };

    /// <param name="groups">The <c>groups</c> claim of each email that has one.</param>
    public static async Task<OidcPeopleServer> StartAsync(IReadOnlyDictionary<string, string[]>? groups = null, CancellationToken cancellationToken = default)
    {
        var ca = new TestCertificateAuthority("OIDC People Test CA");
        var directory = Directory.CreateTempSubdirectory("av-oidc-people-").FullName;
        using var cert = ca.IssueServerCertificate("127.0.0.1", "localhost");
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        await File.WriteAllTextAsync(certPath, cert.ExportCertificatePem(), cancellationToken);
        using (var key = cert.GetECDsaPrivateKey()!)
        {
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem(), cancellationToken);
        }

        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Fakes", "OAuth", "oidc-people.mjs"));
        info.Environment["NODE_PATH"] = NodeRunner.NodeModules;
        info.Environment["OIDC_CERT"] = certPath;
        info.Environment["OIDC_KEY"] = keyPath;
        info.Environment["OIDC_SECRET"] = ClientSecret;
        info.Environment["OIDC_PEOPLE"] = JsonSerializer.Serialize(groups ?? new Dictionary<string, string[]>());
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start node");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("oidc-provider exited: " + stderr);
            using var doc = JsonDocument.Parse(line);
            return new OidcPeopleServer(process, ca, directory, stderr, new Uri(doc.RootElement.GetProperty("issuer").GetString()!));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            ca.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        _ca.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
