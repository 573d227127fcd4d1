using System.Text;
using System.Text.Json;
using AgentVault.Broker.Errors;
using AgentVault.Broker.Management;
using AgentVault.Broker.Model;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Broker.Tests.Errors;

/// <summary>Problem bodies are readable JSON: apostrophes and the like are written as themselves, quotes and controls still escaped.</summary>
public sealed class ProblemBodyTests
{
    [Fact]
    public void ProxyRefusal_WritesApostrophesAsThemselves_AndCarriesTheProposalHint()
    {
        var refusal = new ProxyRefusal(ProxyError.HostNotAllowed, "Vault 'dev' has no service for a&b <x> \"q\"\n") { ProposalHint = ("api.x.com", 443) };

        var bytes = ProxyProblem.FormatHttp11(refusal, out var length);
        var body = Encoding.UTF8.GetString(bytes, bytes.Length - length, length);

        Assert.Contains("\"detail\":\"Vault 'dev' has no service for a&b <x> \\\"q\\\"\\n\"", body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        var hint = json.RootElement.GetProperty("proposal_hint");
        Assert.Equal(("api.x.com", 443, "/v1/proposals"), (hint.GetProperty("host").GetString(), hint.GetProperty("port").GetInt32(), hint.GetProperty("endpoint").GetString()));
    }

    [Fact]
    public async Task ManagementProblem_WritesApostrophesAsThemselves_InDetailAndErrors()
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await ProblemResults.ValidationFailed([new ValidationError("vaults[0]", "vault 'dev' isn't valid")]).ExecuteAsync(context);

        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Contains("\"detail\":\"vaults[0]: vault 'dev' isn't valid\"", text, StringComparison.Ordinal);
        Assert.Contains("\"message\":\"vault 'dev' isn't valid\"", text, StringComparison.Ordinal);
    }
}
