using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Tls;

/// <summary>The local CA: created on first start (key encrypted at rest, one atomic blob shared by every instance), then loaded; mints cached leaves.</summary>
internal sealed class CertificateAuthority : ICertificateAuthority, IDisposable
{
    private readonly IBlobRepository _blobs;
    private readonly IAtRestProtector _protector;
    private readonly TimeProvider _time;
    private readonly ILogger<CertificateAuthority> _logger;
    private readonly LeafCertificateCache _leaves;
    private LoadedCa? _loaded;

    public CertificateAuthority(IBlobRepository blobs, IAtRestProtector protector, TimeProvider time, ILogger<CertificateAuthority> logger)
    {
        _blobs = blobs;
        _protector = protector;
        _time = time;
        _logger = logger;
        _leaves = new LeafCertificateCache(Mint, time);
    }

    public X509Certificate2 Certificate => State.Certificate;

    public string CertificatePem => State.Pem;

    public bool IsReady => Volatile.Read(ref _loaded) is not null;

    private LoadedCa State => Volatile.Read(ref _loaded) ?? throw new InvalidOperationException("the CA is not loaded yet (start-up has not finished)");

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var stored = await _blobs.GetAsync(StoredCa.BlobName, cancellationToken);
        if (stored is null)
        {
            using var created = CertificateFactory.CreateCa(_time.GetUtcNow());
            var pkcs8 = created.GetECDsaPrivateKey()!.ExportPkcs8PrivateKey();
            try
            {
                var record = new StoredCa { Certificate = created.RawData, EncryptedPrivateKey = _protector.Protect(pkcs8, StoredCa.KeyAssociatedData) };
                if (await _blobs.TryInsertAsync(StoredCa.BlobName, record.ToBytes(), cancellationToken))
                {
                    TlsLog.CaCreated(_logger, created.Subject, created.Thumbprint);
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }

            // Load what is stored, whether this instance or a concurrent one won the insert.
            stored = await _blobs.GetAsync(StoredCa.BlobName, cancellationToken) ?? throw new BrokerStartupException("the CA record vanished during start-up");
        }

        Volatile.Write(ref _loaded, Load(stored));
    }

    public X509Certificate2 GetLeafCertificate(string hostName) => _leaves.Get(HostNames.Normalize(hostName));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _loaded, null) is { } loaded)
        {
            loaded.Certificate.Dispose();
            loaded.SigningCertificate.Dispose();
        }
    }

    private X509Certificate2 Mint(string hostName)
    {
        var leaf = CertificateFactory.CreateLeaf(State.SigningCertificate, hostName, _time.GetUtcNow());
        TlsLog.LeafMinted(_logger, hostName);
        return leaf;
    }

    private LoadedCa Load(byte[] stored)
    {
        StoredCa record;
        byte[] pkcs8;
        try
        {
            record = StoredCa.FromBytes(stored);
            pkcs8 = _protector.Unprotect(record.EncryptedPrivateKey, StoredCa.KeyAssociatedData);
        }
        catch (Exception ex) when (ex is JsonException or CryptographicException)
        {
            throw new BrokerStartupException("the stored CA private key cannot be decrypted or is malformed", ex);
        }

        try
        {
            var certificate = X509CertificateLoader.LoadCertificate(record.Certificate);
            using var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            var signing = certificate.CopyWithPrivateKey(key);
            var pem = PemEncoding.WriteString("CERTIFICATE", record.Certificate) + "\n";
            return new LoadedCa(certificate, signing, pem);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
