using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>
/// Test-only scheme <c>disposable</c> (setting <c>label</c>, and <c>async: true</c> for an <see cref="IAsyncDisposable"/>-only
/// instance): records every instance it creates and which of them were disposed, and how often. The label <c>explode</c> makes
/// <see cref="Create"/> throw an exception the route builder does not expect (a plugin bug), so the snapshot build fails.
/// </summary>
internal sealed class DisposableSchemeFactory : IAuthSchemeFactory
{
    private readonly List<Instance> _created = [];

    public string Name => "disposable";

    public IReadOnlyCollection<string> CredentialSettings { get; } = [];

    public IReadOnlyList<Instance> Created
    {
        get
        {
            lock (_created)
            {
                return [.. _created];
            }
        }
    }

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
    }

    public IAuthScheme Create(AuthSchemeContext context)
    {
        if (context.Settings.GetString("label") == "explode")
        {
            throw new NotSupportedException("test plugin failure");
        }

        Instance scheme = context.Settings.GetString("async") == "true"
            ? new AsyncInstance(context.Settings.GetString("label") ?? "-")
            : new SyncInstance(context.Settings.GetString("label") ?? "-");
        lock (_created)
        {
            _created.Add(scheme);
        }

        return scheme;
    }

    internal abstract class Instance(string label) : IAuthScheme
    {
        private int _disposals;

        public string Label { get; } = label;

        public int Disposals => Volatile.Read(ref _disposals);

        public IReadOnlyCollection<string> HeadersToStrip => [];

        public ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken) =>
            Disposals > 0 ? throw new ObjectDisposedException(Label) : ValueTask.CompletedTask;

        protected void Disposed() => Interlocked.Increment(ref _disposals);
    }

    private sealed class SyncInstance(string label) : Instance(label), IDisposable
    {
        public void Dispose() => Disposed();
    }

    private sealed class AsyncInstance(string label) : Instance(label), IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Task.Yield();
            Disposed();
        }
    }
}
