using System.Security.Cryptography;
using System.Text;
using Azure.Core;

namespace AgentVault.Plugins.AzureKeyVault;

/// <summary>
/// A client-secret credential whose secret is a reference read before every token request, so a rotated secret is
/// picked up without restarting; the inner credential (and its token cache) is replaced when the secret changes.
/// </summary>
internal sealed class RotatingClientSecretCredential : TokenCredential, IDisposable
{
    private readonly Func<CancellationToken, ValueTask<string>> _readSecret;
    private readonly Func<string, TokenCredential> _create;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _currentHash;
    private TokenCredential? _inner;

    public RotatingClientSecretCredential(Func<CancellationToken, ValueTask<string>> readSecret, Func<string, TokenCredential> create)
    {
        _readSecret = readSecret;
        _create = create;
    }

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        var secret = await _readSecret(cancellationToken);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        TokenCredential inner;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_inner is null || _currentHash is null || !CryptographicOperations.FixedTimeEquals(hash, _currentHash))
            {
                _inner = _create(secret);
                _currentHash = hash;
            }

            inner = _inner;
        }
        finally
        {
            _gate.Release();
        }

        return await inner.GetTokenAsync(requestContext, cancellationToken);
    }

    // The SDK calls the asynchronous path from asynchronous clients; the broker never uses synchronous calls.
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Agent Vault acquires Azure tokens asynchronously only.");

    public void Dispose() => _gate.Dispose();
}
