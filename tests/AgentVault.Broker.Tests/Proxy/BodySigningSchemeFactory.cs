using System.Security.Cryptography;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>
/// Test-only scheme <c>test-body-sign</c>, shaped like a request-signing scheme (aws-sigv4): reads the whole request body,
/// sets <c>x-body-sha256</c> to its hex SHA-256, and with <c>replace: true</c> puts a buffered copy in place of the content.
/// </summary>
internal sealed class BodySigningSchemeFactory : IAuthSchemeFactory
{
    public string Name => "test-body-sign";

    public IReadOnlyCollection<string> CredentialSettings { get; } = [];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
    }

    public IAuthScheme Create(AuthSchemeContext context) => new Scheme(context.Settings.GetString("replace") == "true");

    private sealed class Scheme(bool replace) : IAuthScheme
    {
        public IReadOnlyCollection<string> HeadersToStrip => ["x-body-sha256"];

        public async ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken)
        {
            var message = request.Request;
            // CopyToAsync streams the content (ReadAsByteArrayAsync would buffer it inside HttpContent), as aws-sigv4 does.
            using var read = new MemoryStream();
            if (message.Content is not null)
            {
                await message.Content.CopyToAsync(read, cancellationToken);
            }

            var body = read.ToArray();
            message.Headers.TryAddWithoutValidation("x-body-sha256", Convert.ToHexStringLower(SHA256.HashData(body)));
            if (replace && message.Content is { } content)
            {
                var buffered = new ByteArrayContent(body);
                foreach (var (name, values) in content.Headers.NonValidated)
                {
                    buffered.Headers.TryAddWithoutValidation(name, values);
                }

                message.Content = buffered;
            }
        }
    }
}
