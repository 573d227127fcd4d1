using AgentVault.Broker.Notifications;

namespace AgentVault.Broker.Tests.Notifications;

public sealed class WebhookRetryPolicyTests
{
    [Fact]
    public void Delays_DoubleFromOneSecond_BetweenFiveAttempts()
    {
        var delays = Enumerable.Range(1, WebhookRetryPolicy.MaxAttempts - 1).Select(WebhookRetryPolicy.DelayAfter).ToList();

        Assert.Equal(5, WebhookRetryPolicy.MaxAttempts);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)], delays);
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(429, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(404, false)]
    [InlineData(410, false)]
    [InlineData(301, false)]
    public void Status_IsRetriedOnlyFor5xxAnd429(int status, bool retried)
    {
        Assert.Equal(retried, WebhookRetryPolicy.IsRetryable(status));
        Assert.Equal(retried, WebhookAttempt.Answered(status).Retryable);
        Assert.False(WebhookAttempt.Answered(status).Delivered);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    [InlineData(204)]
    public void Status2xx_IsDelivered(int status)
    {
        var attempt = WebhookAttempt.Answered(status);

        Assert.True(attempt.Delivered);
        Assert.Null(attempt.Error);
    }
}
