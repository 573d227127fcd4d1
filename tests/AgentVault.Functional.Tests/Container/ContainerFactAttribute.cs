namespace AgentVault.Functional.Tests.Container;

/// <summary>
/// A fact that is skipped, with the reason, only where this machine cannot run a container at all (as probed by
/// <c>scripts/deps/40-containers.sh</c>); anywhere else a missing image or a failing container fails the test.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContainerFactAttribute : FactAttribute
{
    public ContainerFactAttribute()
    {
        if (ContainerImage.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
