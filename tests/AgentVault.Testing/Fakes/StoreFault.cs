namespace AgentVault.Testing.Fakes;

/// <summary>A fault a fake store's HTTP server injects into every request while it is set (see <see cref="FakeHttpHost.Fault"/>).</summary>
public enum StoreFault
{
    /// <summary>Requests are answered normally.</summary>
    None,

    /// <summary>The request is accepted and never answered (until the fault is cleared, then the connection is aborted).</summary>
    Hang,

    /// <summary>The request is answered normally after <see cref="FakeHttpHost.SlowDelay"/>.</summary>
    Slow,

    /// <summary>The request is answered 503 with a Vault-style <c>errors</c> body.</summary>
    Error,

    /// <summary>The request is read, then the connection is aborted without an answer.</summary>
    Drop,
}
