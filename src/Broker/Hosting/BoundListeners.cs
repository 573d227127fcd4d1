using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AgentVault.Broker.Hosting;

/// <summary>The two listeners as Kestrel configured them; after start their endpoints carry the ports actually bound (port 0).</summary>
internal sealed class BoundListeners
{
    public ListenOptions? Api { get; set; }

    public ListenOptions? Proxy { get; set; }
}
