using AgentVault.Broker.Approvals;
using AgentVault.Broker.Notifications;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AgentVault.Broker.Tests.Approvals;

/// <summary>The registry of held requests: the per-vault bound, one decision per request (also against the timeout), grants that expire, events.</summary>
public sealed class ApprovalRegistryTests
{
    private const string Person = "ops@example.com";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingPublisher _events = new();
    private readonly ApprovalRegistry _registry;

    public ApprovalRegistryTests() => _registry = new ApprovalRegistry(_time, _events, NullLogger<ApprovalRegistry>.Instance);

    [Fact]
    public void HundredHeldInAVault_TheNextIsRefused_OtherVaultsAreNot()
    {
        var held = Enumerable.Range(0, ApprovalRegistry.MaxPendingPerVault).Select(_ => Held("dev")).ToList();
        Assert.All(held, h => Assert.True(_registry.TryHold(h)));

        var refused = Held("dev");
        Assert.False(_registry.TryHold(refused));
        Assert.Null(_registry.Find(refused.Id));
        Assert.True(_registry.TryHold(Held("prod")));

        // A decision frees a place.
        Assert.Equal(DecideResult.Decided, _registry.Decide(held[0].Id, ApprovalStatus.Denied, Person, out _));
        Assert.True(_registry.TryHold(Held("dev")));
        Assert.False(_registry.TryHold(Held("dev")));
    }

    [Fact]
    public async Task NoDecision_TimesOutAfterTheServiceTimeout()
    {
        var held = Held("dev", TimeSpan.FromSeconds(30));
        Assert.True(_registry.TryHold(held));

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(ApprovalStatus.Pending, held.Status);
        _time.Advance(TimeSpan.FromSeconds(1));

        var decision = await held.Decision.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ApprovalStatus.Timeout, decision.Status);
        Assert.Equal(ApprovalActors.Broker, decision.By);
        Assert.Equal(DecideResult.AlreadyDecided, _registry.Decide(held.Id, ApprovalStatus.Approved, Person, out _));
    }

    [Fact]
    public async Task ApprovalBeforeTheTimeout_Wins_AndTheTimeoutChangesNothing()
    {
        var held = Held("dev", TimeSpan.FromSeconds(30));
        Assert.True(_registry.TryHold(held));

        Assert.Equal(DecideResult.Decided, _registry.Decide(held.Id, ApprovalStatus.Approved, Person, out _));
        _time.Advance(TimeSpan.FromMinutes(1));

        var decision = await held.Decision;
        Assert.Equal(ApprovalStatus.Approved, decision.Status);
        Assert.Equal(Person, decision.By);
        Assert.Single(_events.Events, e => e.Event == NotificationEvents.ApprovalDecided);
    }

    [Fact]
    public async Task DecisionsRacingTheTimeout_ExactlyOneWins_AndThePlaceIsFreedOnce()
    {
        for (var round = 0; round < 50; round++)
        {
            var held = Held("race", TimeSpan.FromSeconds(1));
            Assert.True(_registry.TryHold(held));
            using var start = new ManualResetEventSlim();
            var deciders = new[] { ApprovalStatus.Approved, ApprovalStatus.Denied, ApprovalStatus.Approved, ApprovalStatus.Denied }
                .Select(status => Task.Run(() =>
                {
                    start.Wait();
                    return _registry.Decide(held.Id, status, Person, out _);
                }))
                .ToList();
            var timer = Task.Run(() =>
            {
                start.Wait();
                _time.Advance(TimeSpan.FromSeconds(1));
            });

            start.Set();
            var results = await Task.WhenAll(deciders);
            await timer;
            var decision = await held.Decision.WaitAsync(TimeSpan.FromSeconds(10));

            var wins = results.Count(r => r == DecideResult.Decided) + (decision.Status == ApprovalStatus.Timeout ? 1 : 0);
            Assert.Equal(1, wins);
            Assert.All(results, r => Assert.NotEqual(DecideResult.NotFound, r));
        }

        // Every request was decided once: all hundred places of the vault are free again.
        Assert.All(Enumerable.Range(0, ApprovalRegistry.MaxPendingPerVault), _ => Assert.True(_registry.TryHold(Held("race"))));
        Assert.False(_registry.TryHold(Held("race")));
        Assert.Equal(50, _events.Events.Count(e => e.Event == NotificationEvents.ApprovalDecided));
    }

    [Fact]
    public void ApprovalFor_CreatesAGrantForThatAgentServiceAndRule_UntilItExpires()
    {
        var held = Held("dev");
        Assert.True(_registry.TryHold(held));

        _registry.Decide(held.Id, ApprovalStatus.Approved, Person, out _, TimeSpan.FromMinutes(10));

        var grant = _registry.Grants.Find("dev", "claude", "stripe", "POST /v1/charges");
        Assert.NotNull(grant);
        Assert.Equal(Person, grant.GrantedBy);
        Assert.Same(grant, held.Grant);
        Assert.Null(_registry.Grants.Find("dev", "other-agent", "stripe", "POST /v1/charges"));
        Assert.Null(_registry.Grants.Find("dev", "claude", "stripe", "DELETE /v1/customers/**"));

        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.NotNull(_registry.Grants.Find("dev", "claude", "stripe", "POST /v1/charges"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_registry.Grants.Find("dev", "claude", "stripe", "POST /v1/charges"));
        Assert.Empty(_registry.Grants.List());
    }

    [Fact]
    public void DeniedOrLateApprovalFor_CreatesNoGrant()
    {
        var held = Held("dev");
        Assert.True(_registry.TryHold(held));
        _registry.Decide(held.Id, ApprovalStatus.Denied, Person, out _);

        Assert.Equal(DecideResult.AlreadyDecided, _registry.Decide(held.Id, ApprovalStatus.Approved, Person, out _, TimeSpan.FromHours(1)));

        Assert.Empty(_registry.Grants.List());
    }

    [Fact]
    public void RevokedGrant_NoLongerCovers()
    {
        var held = Held("dev");
        Assert.True(_registry.TryHold(held));
        _registry.Decide(held.Id, ApprovalStatus.Approved, Person, out _, TimeSpan.FromHours(1));
        var grant = Assert.Single(_registry.Grants.List());

        Assert.True(_registry.Grants.Revoke(grant.Id));

        Assert.Null(_registry.Grants.Find("dev", "claude", "stripe", "POST /v1/charges"));
        Assert.False(_registry.Grants.Revoke(grant.Id));
    }

    [Fact]
    public void DecidedRequests_AreListedForAWhile_ThenUnknown()
    {
        var held = Held("dev");
        Assert.True(_registry.TryHold(held));
        _registry.Decide(held.Id, ApprovalStatus.Denied, Person, out _);

        Assert.Empty(_registry.List(ApprovalStatus.Pending));
        Assert.Equal(held.Id, Assert.Single(_registry.List(ApprovalStatus.Denied)).Id);

        _time.Advance(ApprovalRegistry.RememberFor + TimeSpan.FromSeconds(1));

        Assert.Empty(_registry.List());
        Assert.Equal(DecideResult.NotFound, _registry.Decide(held.Id, ApprovalStatus.Approved, Person, out _));
    }

    [Fact]
    public void HoldAndDecision_ArePublished_WithTheConsolePageAndWhoDecided()
    {
        var held = Held("dev");
        Assert.True(_registry.TryHold(held));
        _registry.Decide(held.Id, ApprovalStatus.Approved, Person, out _);

        var events = _events.Events.ToList();
        Assert.Equal([NotificationEvents.ApprovalRequested, NotificationEvents.ApprovalDecided], events.Select(e => e.Event));
        Assert.All(events, e => Assert.Equal((held.Id, "dev", "claude", "/ui/approvals"), (e.Id, e.Vault, e.Agent, e.ConsolePath)));
        Assert.Contains("POST api.stripe.com/v1/charges", events[0].Summary, StringComparison.Ordinal);
        Assert.Equal(("approved", Person), (events[1].Decision, events[1].DecidedBy));
    }

    [Fact]
    public async Task DenyAll_DeniesEveryPendingRequest_AsTheBroker()
    {
        var pending = Held("dev");
        var decided = Held("dev");
        Assert.True(_registry.TryHold(pending));
        Assert.True(_registry.TryHold(decided));
        _registry.Decide(decided.Id, ApprovalStatus.Approved, Person, out _);

        Assert.Equal(1, _registry.DenyAll(ApprovalActors.Broker));

        var decision = await pending.Decision;
        Assert.Equal((ApprovalStatus.Denied, ApprovalActors.Broker), (decision.Status, decision.By));
        Assert.Equal(ApprovalStatus.Approved, decided.Status);
    }

    private HeldRequest Held(string vault, TimeSpan? timeout = null) =>
        new("claude", vault, "stripe", "POST /v1/charges", "POST", "api.stripe.com", 443, "/v1/charges", _time.GetUtcNow(), timeout ?? TimeSpan.FromMinutes(2));
}
