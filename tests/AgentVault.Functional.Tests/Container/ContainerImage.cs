using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Container;

/// <summary>
/// The image <c>scripts/deps/40-containers.sh</c> built from <c>./Dockerfile</c> (its name in <c>.ci/work/container/image</c>,
/// or AGENT_VAULT_TEST_IMAGE), or the reason this machine cannot run containers at all (<c>.ci/work/container/unavailable</c>,
/// written only when a probe container failed to start).
/// </summary>
internal static class ContainerImage
{
    private static string WorkDir => Path.Combine(TestPaths.RepoRoot, ".ci", "work", "container");

    /// <summary>Why containers cannot run on this machine; null when they can (or nobody has checked).</summary>
    public static string? UnavailableReason
    {
        get
        {
            var marker = Path.Combine(WorkDir, "unavailable");
            return File.Exists(marker) ? File.ReadAllText(marker).Trim() : null;
        }
    }

    /// <summary>The image to test; fails the test with what to run when there is none.</summary>
    public static string Name
    {
        get
        {
            if (Environment.GetEnvironmentVariable("AGENT_VAULT_TEST_IMAGE") is { Length: > 0 } configured)
            {
                return configured;
            }

            var file = Path.Combine(WorkDir, "image");
            return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } name
                ? name
                : throw new InvalidOperationException($"no container image to test ({file} is missing): run scripts/deps/40-containers.sh (as root) first");
        }
    }
}
