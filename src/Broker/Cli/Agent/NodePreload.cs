using System.Security.Cryptography;
using System.Text;

namespace AgentVault.Broker.Cli.Agent;

/// <summary>
/// The Node.js preload (<c>node-proxy-preload.cjs</c>, embedded in this assembly) that routes <c>fetch</c> and the
/// <c>http</c>/<c>https</c> modules of Node 20 and 22 through the proxy; Node versions that honour
/// <c>NODE_USE_ENV_PROXY</c> skip it. Written content-addressed to the per-user cache of <see cref="AgentCacheFiles"/>.
/// </summary>
internal static class NodePreload
{
    private const string ResourceName = "agent/node-proxy-preload.cjs";

    /// <summary>The preload's source text.</summary>
    public static string Source()
    {
        using var stream = typeof(NodePreload).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Writes the preload (file name from a hash of its content) and returns its path.</summary>
    public static string Write()
    {
        var source = Source();
        var directory = AgentCacheFiles.Directory();
        try
        {
            AgentCacheFiles.EnsureDirectory();
            var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..16];
            var path = Path.Combine(directory, $"node-proxy-preload-{id}.cjs");
            AgentCacheFiles.Write(path, source);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write the Node.js preload to {directory}: {e.Message}");
        }
    }
}
