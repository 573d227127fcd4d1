using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Tests.Secrets;

public sealed class SecretFieldSelectorTests
{
    public static TheoryData<string?, string[]?, string?, string?> Selections => new()
    {
        // value, fields (k=v), field, expected
        { "plain", null, null, "plain" },
        { null, ["only=one"], null, "one" },
        { """{"a":"x"}""", null, null, """{"a":"x"}""" },
        { null, ["user=u", "password=p"], "password", "p" },
        { """{"api_key":"k1","n":42,"on":true,"off":false}""", null, "api_key", "k1" },
        { """{"n":42.5}""", null, "n", "42.5" },
        { """{"on":true}""", null, "on", "true" },
        { """{"off":false}""", null, "off", "false" },
        { """{"a":"x"}""", ["a=from-fields"], "a", "from-fields" },
    };

    [Theory]
    [MemberData(nameof(Selections))]
    public void Select_PicksTheRightText(string? value, string[]? fields, string? field, string? expected)
    {
        var secret = new SecretValue(value, fields?.Select(f => f.Split('=')).ToDictionary(p => p[0], p => p[1]));

        Assert.Equal(expected, SecretFieldSelector.Select(secret, field, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("""{"a":"x"}""", "missing", "field 'missing' not found")]
    [InlineData("not json", "a", "field 'a' not found")]
    [InlineData("""{"obj":{"x":1}}""", "obj", "field 'obj' not found")]
    [InlineData("""["a"]""", "a", "field 'a' not found")]
    public void Select_MissingField_ReportsFieldNotValue(string value, string field, string expected)
    {
        Assert.Null(SecretFieldSelector.Select(new SecretValue(value), field, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("\"x\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_SeveralFieldsWithoutName_AsksForOne()
    {
        var secret = new SecretValue(null, new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });

        Assert.Null(SecretFieldSelector.Select(secret, null, out var error));
        Assert.Contains("#field", error, StringComparison.Ordinal);
    }
}
