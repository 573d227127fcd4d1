using System.Security.Cryptography;
using System.Text;

namespace AgentVault.Broker.Cli.Agent;

/// <summary>
/// The broker CA and a combined bundle (system roots + broker CA), in the per-user cache directory of
/// <see cref="AgentCacheFiles"/> (mode 0700; files 0600), one pair per broker address.
/// </summary>
internal sealed record CaFiles(string CaFile, string BundleFile)
{
    private static readonly string[] SystemBundles =
    [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/ca-bundle.pem",
        "/etc/ssl/cert.pem",
    ];

    public static async Task<CaFiles> WriteAsync(Uri apiAddress, string caPem, CancellationToken cancellationToken)
    {
        if (!caPem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw new CliException($"the broker at {apiAddress} did not return a PEM CA certificate");
        }

        var directory = AgentCacheFiles.Directory();
        try
        {
            AgentCacheFiles.EnsureDirectory();
            var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiAddress.AbsoluteUri)))[..16];
            var caFile = Path.Combine(directory, $"ca-{id}.pem");
            var bundleFile = Path.Combine(directory, $"ca-bundle-{id}.pem");
            var caText = caPem.EndsWith('\n') ? caPem : caPem + "\n";
            AgentCacheFiles.Write(caFile, caText);

            var system = FindSystemBundle(directory);
            var bundle = system is null ? caText : await File.ReadAllTextAsync(system, cancellationToken).ConfigureAwait(false);
            if (system is not null)
            {
                bundle = (bundle.EndsWith('\n') ? bundle : bundle + "\n") + caText;
            }

            AgentCacheFiles.Write(bundleFile, bundle);
            return new CaFiles(caFile, bundleFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write the broker CA to {directory}: {e.Message}");
        }
    }

    /// <summary>The system bundle to extend: a caller's own SSL_CERT_FILE first (unless it is one of ours), then the usual paths.</summary>
    private static string? FindSystemBundle(string ownDirectory)
    {
        var fromEnv = Environment.GetEnvironmentVariable("SSL_CERT_FILE");
        if (!string.IsNullOrWhiteSpace(fromEnv) && File.Exists(fromEnv)
            && !Path.GetFullPath(fromEnv).StartsWith(Path.GetFullPath(ownDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return fromEnv;
        }

        return SystemBundles.FirstOrDefault(File.Exists);
    }
}
