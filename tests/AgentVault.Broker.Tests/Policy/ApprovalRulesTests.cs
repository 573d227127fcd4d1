using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;

namespace AgentVault.Broker.Tests.Policy;

public sealed class ApprovalRulesTests
{
    private static readonly RulesDefinition Stripe = new() { Approve = ["POST /v1/charges", "DELETE /v1/customers/**"] };

    [Theory]
    [InlineData("POST", "/v1/charges", "POST /v1/charges")]
    [InlineData("post", "/V1/Charges", "POST /v1/charges")]                 // case does not dodge a hold
    [InlineData("POST", "/v1//charges", "POST /v1/charges")]                // empty segment
    [InlineData("POST", "/v1/%63harges", "POST /v1/charges")]               // percent-encoded letter
    [InlineData("POST", "/v1/charges;x=1", "POST /v1/charges")]             // matrix parameter
    [InlineData("DELETE", "/v1/customers/cus_1", "DELETE /v1/customers/**")]
    [InlineData("DELETE", "/v1%2Fcustomers/cus_1", "DELETE /v1/customers/**")] // an upstream that decodes %2F reads it so
    [InlineData("GET", "/v1/charges", null)]
    [InlineData("POST", "/v1/refunds", null)]
    public void Match_NamesTheRuleThatHolds(string method, string path, string? rule)
    {
        Assert.True(RequestPath.TryParse(path, out var parsed, out _));

        Assert.Equal(rule, ApprovalRules.Compile(Stripe)!.Match([method], parsed));
    }

    [Fact]
    public void AnyClaimedMethod_CanHold()
    {
        Assert.True(RequestPath.TryParse("/v1/charges", out var path, out _));

        // A GET that claims to be a POST (X-HTTP-Method-Override) is judged as both.
        Assert.Equal("POST /v1/charges", ApprovalRules.Compile(Stripe)!.Match(["GET", "POST"], path));
    }

    [Fact]
    public void NoApproveRules_CompileToNothing()
    {
        Assert.Null(ApprovalRules.Compile(null));
        Assert.Null(ApprovalRules.Compile(new RulesDefinition { Allow = ["GET /**"] }));
        Assert.Null(ApprovalRules.Compile(new RulesDefinition { Approve = [] }));
    }

    [Fact]
    public void UnparsableEntry_HoldsEverything()
    {
        Assert.True(RequestPath.TryParse("/anything", out var path, out _));

        Assert.Equal("nonsense", ApprovalRules.Compile(new RulesDefinition { Approve = ["nonsense"] })!.Match(["GET"], path));
    }

    [Theory]
    [InlineData(null, 120)]
    [InlineData("30s", 30)]
    [InlineData("1h", 3600)]
    public void Timeout_DefaultsTo120Seconds(string? text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ApprovalTimeout.Resolve(text));

    [Theory]
    [InlineData("500ms", false)]
    [InlineData("1s", true)]
    [InlineData("1h", true)]
    [InlineData("61m", false)]
    [InlineData("soon", false)]
    [InlineData(null, true)]
    public void Timeout_IsBoundedFromOneSecondToOneHour(string? text, bool valid) =>
        Assert.Equal(valid, ApprovalTimeout.IsValid(text));
}
