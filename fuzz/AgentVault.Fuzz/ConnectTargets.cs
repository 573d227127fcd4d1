using System.Buffers;
using AgentVault.Broker.Proxy;

namespace AgentVault.Fuzz;

/// <summary>What an agent sends before any authentication: the CONNECT head and its <c>Proxy-Authorization</c> value.</summary>
internal static class ConnectTargets
{
    public static void ConnectHead(byte[] data)
    {
        var head = Broker.Proxy.ConnectHead.Parse(new ReadOnlySequence<byte>(data));
        if (head is null)
        {
            return;
        }

        FuzzInvariantException.Check(head.Port is > 0 and <= 65535, "port out of range");
        FuzzInvariantException.Check(head.Host.Length > 0, "empty host");
        FuzzInvariantException.Check(head.ProxyAuthorization is null || !head.ProxyAuthorization.AsSpan().ContainsAny('\r', '\n', '\0'), "control character in Proxy-Authorization");
        _ = ProxyCredentials.TryParse(head.ProxyAuthorization, out _, out _);
    }

    public static void ProxyAuthorization(byte[] data)
    {
        if (ProxyCredentials.TryParse(FuzzInput.Latin1(data), out var token, out var vault))
        {
            FuzzInvariantException.Check(token.Length > 0, "accepted an empty token");
            FuzzInvariantException.Check(vault is null || vault.Length > 0, "accepted an empty vault name");
        }
    }
}
