using System.Globalization;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.AuthSchemes;

/// <summary>curl as the agent through the broker (proxy credentials, the broker's CA); the response split into parts.</summary>
internal static class AgentCurl
{
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body, string Raw)
    {
        public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

        public override string ToString() => Raw;
    }

    /// <summary>Sends one request; <paramref name="extra"/> are more curl arguments (method, data, headers).</summary>
    public static async Task<Response> SendAsync(string proxyUrl, string brokerCaPath, string url, params string[] extra)
    {
        var result = await ClientProcess.RunAsync("curl", [
            "-sS", "-i", "--suppress-connect-headers", "--max-time", "60", "--proxy", proxyUrl, "--cacert", brokerCaPath,
            "-H", "Authorization: Bearer agent-dummy-token", .. extra, url]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return Parse(result.StdOut);
    }

    private static Response Parse(string raw)
    {
        var text = raw.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? string.Empty : text[(split + 2)..];
        var lines = head.Split('\n');
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
        }

        return new Response(status, headers, body, raw);
    }
}
