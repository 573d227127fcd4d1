namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>Configuration files the control-plane tests apply.</summary>
internal static class Samples
{
    /// <summary>Uses only the --dev store <c>local</c>: a vault with two services and an agent.</summary>
    public const string DevConfig = """
        stores:
          - name: local
            type: file
            cache: { ttl: 30s, max_stale: 0 }
        vaults:
          - name: dev
            unmatched: deny
            credentials:
              OPENAI_KEY: "local:openai"
              GITHUB_TOKEN: { ref: "local:github", ttl: 10s }
            services:
              - name: openai
                host: api.openai.com
                auth: { type: bearer, token: OPENAI_KEY }
                rate_limit: 120/min
              - name: github
                host: "*.github.com"
                auth: { type: api-key, key: GITHUB_TOKEN, header: authorization, prefix: "token " }
                rules: { allow: ["GET /repos/**"], deny: ["DELETE /**"] }
          - name: ops
            unmatched: passthrough
        agents:
          - name: claude
            vaults: [dev]
        """;

    public static async Task<string> WriteAsync(string directory, string name, string content)
    {
        var path = Path.Combine(directory, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }
}
