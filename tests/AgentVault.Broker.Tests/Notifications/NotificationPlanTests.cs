using AgentVault.Broker.Management;
using AgentVault.Broker.Model;
using AgentVault.Broker.Tests.Management;

namespace AgentVault.Broker.Tests.Notifications;

public sealed class NotificationPlanTests
{
    private static readonly NotificationDefinition Ops = new()
    {
        Name = "ops", Url = "https://hooks.example.com/a", Secret = "local:hook", Events = [NotificationEventNames.ProposalCreated],
    };

    [Fact]
    public void NewNotification_IsCreated_AndTheSameFileAgainIsNoChange()
    {
        var current = ConfigJson.Document(ConfigJson.Valid);
        var file = new ConfigDocument { Notifications = [Ops] };

        var first = ApplyPlanner.Plan(current, file, prune: false);
        var second = ApplyPlanner.Plan(first.Document, file, prune: false);

        Assert.Equal(["notification/ops"], first.Created);
        Assert.Equal(Ops, Assert.Single(first.Document.Notifications!));
        Assert.False(second.Changed);
    }

    [Fact]
    public void ChangedEvents_AreAnUpdate_AndPruneDeletesAnUnnamedNotification()
    {
        var current = new ConfigDocument { Notifications = [Ops, Ops with { Name = "other" }] };

        var updated = ApplyPlanner.Plan(current, new ConfigDocument { Notifications = [Ops with { Events = [NotificationEventNames.ApprovalRequested] }] }, prune: true);

        Assert.Equal(["notification/ops"], updated.Updated);
        Assert.Equal(["notification/other"], updated.Deleted);
        Assert.Equal(["ops"], updated.Document.Notifications!.Select(n => n.Name));
    }

    [Fact]
    public void NoNotifications_StaysAbsent_SoExportsDoNotChange()
    {
        var plan = ApplyPlanner.Plan(new ConfigDocument(), ConfigJson.Document(ConfigJson.Valid), prune: false);

        Assert.Null(plan.Document.Notifications);
    }

    [Fact]
    public void PruneOfTheLastNotification_LeavesNone()
    {
        var plan = ApplyPlanner.Plan(new ConfigDocument { Notifications = [Ops] }, new ConfigDocument(), prune: true);

        Assert.True(plan.Changed);
        Assert.Equal(["notification/ops"], plan.Deleted);
        Assert.Null(plan.Document.Notifications);
    }
}
