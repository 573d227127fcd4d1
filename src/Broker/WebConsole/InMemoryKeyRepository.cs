using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace AgentVault.Broker.WebConsole;

/// <summary>
/// Where ASP.NET Core's key manager keeps its key ring: in memory, like the ephemeral provider the console uses. Nothing is
/// written to disk, so the keys need no at-rest encryption (and the framework's "no XML encryptor configured" warning, which
/// the key ring's start-up warm-up would otherwise print on every first start, does not apply).
/// </summary>
internal sealed class InMemoryKeyRepository : IXmlRepository
{
    private readonly Lock _gate = new();
    private readonly List<XElement> _elements = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_gate)
        {
            return [.. _elements.Select(e => new XElement(e))];
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        lock (_gate)
        {
            _elements.Add(new XElement(element));
        }
    }
}
