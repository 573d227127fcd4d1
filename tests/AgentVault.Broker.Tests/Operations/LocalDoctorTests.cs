using AgentVault.Broker.Operations;
using AgentVault.Broker.Tls;

namespace AgentVault.Broker.Tests.Operations;

public sealed class LocalDoctorTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "ok")]
    [InlineData(3640, "warn")]
    [InlineData(3700, "fail")]
    public void CaExpiry_IsOkThenWarnsWithin30DaysThenFails(int daysAgoCreated, string expected)
    {
        using var ca = CertificateFactory.CreateCa(Now.AddDays(-daysAgoCreated));
        var stored = new StoredCa { Certificate = ca.RawData, EncryptedPrivateKey = [1] }.ToBytes();

        var check = LocalDoctor.Ca(stored, Now);

        Assert.Equal(expected, check.Status);
        Assert.Equal("ca-expiry", check.Name);
    }

    [Fact]
    public void NoCa_IsAWarning()
    {
        Assert.Equal(DoctorCheck.Warn, LocalDoctor.Ca(null, Now).Status);
    }

    [Fact]
    public void MalformedCaRecord_Fails()
    {
        Assert.Equal(DoctorCheck.Fail, LocalDoctor.Ca("{not json"u8.ToArray(), Now).Status);
    }

    [Theory]
    [InlineData(0.5, "ok")]
    [InlineData(-2, "ok")]
    [InlineData(10, "warn")]
    [InlineData(-30, "warn")]
    [InlineData(120, "fail")]
    [InlineData(-3600, "fail")]
    public void ClockSkew_WarnsAbove5SecondsAndFailsAboveAMinute(double seconds, string expected)
    {
        var check = LocalDoctor.Skew("clock-api", TimeSpan.FromSeconds(seconds), "the API server");

        Assert.Equal(expected, check.Status);
        Assert.Contains(seconds >= 0 ? "ahead of" : "behind", check.Detail, StringComparison.Ordinal);
    }
}
