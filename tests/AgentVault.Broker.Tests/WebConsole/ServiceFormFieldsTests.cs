using System.Text.Json;
using AgentVault.Broker.WebConsole;

namespace AgentVault.Broker.Tests.WebConsole;

public sealed class ServiceFormFieldsTests
{
    [Fact]
    public void Update_KeepsApproveRulesAndTimeout_TheFormDoesNotShow()
    {
        using var existing = JsonDocument.Parse("""
            {"name":"stripe","host":"api.stripe.com","auth":{"type":"bearer","token":"KEY"},
             "rules":{"allow":["GET /**"],"approve":["POST /v1/charges"]},"approval_timeout":"5m"}
            """);
        var form = new ServiceFormFields("stripe", "api.stripe.com", "bearer", "KEY", null, "GET /v1/**", null, null, false);

        var service = form.ToBody(existing.RootElement)["services"]![0]!;

        Assert.Equal("GET /v1/**", service["rules"]!["allow"]![0]!.GetValue<string>());
        Assert.Equal("POST /v1/charges", service["rules"]!["approve"]![0]!.GetValue<string>());
        Assert.Equal("5m", service["approval_timeout"]!.GetValue<string>());
    }
}
