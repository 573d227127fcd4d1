using System.Text;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// One way the agent's request makes the upstream hold a secret, and what the upstream then holds (the value it reflects):
/// <c>bearer/auth</c> the injected Authorization header; <c>basic/auth</c> the Basic header; <c>basic/password</c> the
/// password decoded from it; <c>subst/query</c> a substituted query parameter (decoded), <c>subst/rawquery</c> the query
/// string as sent, <c>subst/json-body</c> and <c>subst/form-body</c> a request body with the secret substituted (JSON, form-encoded).
/// </summary>
internal static class LeakRequest
{
    public static readonly (string Kind, string Source)[] Sources =
        [("bearer", "auth"), ("basic", "auth"), ("basic", "password"), ("subst", "query"), ("subst", "rawquery"), ("subst", "json-body"), ("subst", "form-body")];

    public static string BasicHeader => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(PolicyFixture.BasicUser + ":" + PolicyFixture.BasicPassword));

    /// <summary>The value the upstream reflects for <paramref name="source"/>.</summary>
    public static string Reflected(string kind, string source) => (kind, source) switch
    {
        ("bearer", "auth") => "Bearer " + PolicyFixture.Secret,
        ("basic", "auth") => BasicHeader,
        ("basic", "password") => PolicyFixture.BasicPassword,
        ("subst", "query") => PolicyFixture.Secret,
        ("subst", "rawquery") => "?src=rawquery&k=" + Uri.EscapeDataString(PolicyFixture.Secret),
        ("subst", "json-body") => "{\"token\":\"" + PolicyFixture.Secret + "\"}",
        ("subst", "form-body") => "token=" + Uri.EscapeDataString(PolicyFixture.Secret) + "&x=1",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    /// <summary>The secret values the agent must never see for this source.</summary>
    public static string[] Secrets(string kind) => kind == "basic"
        ? [PolicyFixture.BasicPassword, BasicHeader["Basic ".Length..]]
        : [PolicyFixture.Secret];

    /// <summary>The agent's request: placeholders only, and a dummy credential of its own that the broker replaces.</summary>
    public static HttpRequestMessage Create(PolicyFixture fixture, string kind, string mode, string form, string source)
    {
        var host = $"{kind}-{mode}";
        var request = source switch
        {
            "query" or "rawquery" => new HttpRequestMessage(HttpMethod.Get, fixture.Url(host, $"/leak/{form}?src={source}&k=__api_key__")),
            "json-body" => new HttpRequestMessage(HttpMethod.Post, fixture.Url(host, $"/leak/{form}?src=body"))
            {
                Content = new StringContent("{\"token\":\"__api_key__\"}", Encoding.UTF8, "application/json"),
            },
            "form-body" => new HttpRequestMessage(HttpMethod.Post, fixture.Url(host, $"/leak/{form}?src=body"))
            {
                Content = new StringContent("token=__api_key__&x=1", Encoding.UTF8, "application/x-www-form-urlencoded"),
            },
            _ => new HttpRequestMessage(HttpMethod.Get, fixture.Url(host, $"/leak/{form}?src={source}")),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer agent-dummy");
        return request;
    }
}
