using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using AgentVault.Testing.Upstream;

namespace AgentVault.Testing.Fakes.OAuth;

/// <summary>
/// A Node script of <c>Fakes/OAuth</c> serving HTTPS on 127.0.0.1 with a certificate of its own test CA (passed as
/// <c>OIDC_CERT</c>/<c>OIDC_KEY</c>), started and waited for until it prints its first JSON line; disposing kills it and
/// removes its files.
/// </summary>
public sealed class NodeHttpsScript : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _stderr;

    private NodeHttpsScript(Process process, TestCertificateAuthority ca, string directory, StringBuilder stderr, JsonElement started)
    {
        _process = process;
        _directory = directory;
        _stderr = stderr;
        CertificateAuthority = ca;
        Started = started;
    }

    /// <summary>The CA whose certificate the script presents.</summary>
    public TestCertificateAuthority CertificateAuthority { get; }

    /// <summary>The first line the script printed, parsed.</summary>
    public JsonElement Started { get; }

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

    public static async Task<NodeHttpsScript> StartAsync(string script, string caName, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var ca = new TestCertificateAuthority(caName);
        var directory = Directory.CreateTempSubdirectory("av-node-https-").FullName;
        using var cert = ca.IssueServerCertificate("127.0.0.1", "localhost");
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        await File.WriteAllTextAsync(certPath, cert.ExportCertificatePem(), cancellationToken);
        using (var key = cert.GetECDsaPrivateKey()!)
        {
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem(), cancellationToken);
        }

        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Fakes", "OAuth", script));
        info.Environment["NODE_PATH"] = NodeRunner.NodeModules;
        info.Environment["OIDC_CERT"] = certPath;
        info.Environment["OIDC_KEY"] = keyPath;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

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
            var line = await process.StandardOutput.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException($"{script} exited: {stderr}");
            using var doc = JsonDocument.Parse(line);
            return new NodeHttpsScript(process, ca, directory, stderr, doc.RootElement.Clone());
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
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        CertificateAuthority.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
