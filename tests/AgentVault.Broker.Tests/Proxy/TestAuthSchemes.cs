using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>
/// Test-only scheme <c>test-header</c>: sets header <c>header</c> (default <c>Authorization</c>) to <c>prefix</c> + the value of
/// credential <c>key</c>; with <c>refresh_on_401: true</c> it asks for one retry after an upstream 401 and counts the calls;
/// with <c>fail_after_refresh: true</c> too, applying the refreshed credential fails (the store is gone, say).
/// </summary>
internal sealed class TestHeaderSchemeFactory : IAuthSchemeFactory
{
    public string Name => "test-header";

    public IReadOnlyCollection<string> CredentialSettings { get; } = ["key"];

    public int UnauthorizedCalls => _unauthorized;

    private int _unauthorized;

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        if (string.IsNullOrEmpty(settings.GetString("key")))
        {
            validation.Add("key", "required");
        }
    }

    public IAuthScheme Create(AuthSchemeContext context) => new Scheme(this, context.Settings);

    private sealed class Scheme(TestHeaderSchemeFactory owner, PluginSettings settings) : IAuthScheme
    {
        private readonly string _header = settings.GetString("header") ?? "Authorization";
        private int _refreshed;

        public IReadOnlyCollection<string> HeadersToStrip => [_header];

        public async ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref _refreshed) > 0 && settings.GetString("fail_after_refresh") == "true")
            {
                throw new AuthSchemeException("the refreshed credential is unavailable", settings.GetString("key"));
            }

            var value = await request.Credentials.GetAsync(settings.GetString("key")!, cancellationToken);
            request.Request.Headers.TryAddWithoutValidation(_header, settings.GetString("prefix") + value);
        }

        public ValueTask<bool> OnUnauthorizedAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref owner._unauthorized);
            Interlocked.Increment(ref _refreshed);
            return ValueTask.FromResult(settings.GetString("refresh_on_401") == "true");
        }
    }
}
