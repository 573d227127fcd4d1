using System.Text.Json;

namespace AgentVault.Broker.Tests.Hosting;

/// <summary>
/// The runtime settings the broker ships in agent-vault.runtimeconfig.json (measured in docs/performance.md, "Where the
/// CPU goes"): the test reads the file the build produced for the broker, which the SDK copies next to this test assembly.
/// </summary>
public sealed class RuntimeConfigTests
{
    private static JsonElement ConfigProperties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "agent-vault.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }

    [Fact]
    public void BrokerRuntimeConfig_ThreadPoolDoesNotSpin()
    {
        // Idle thread-pool workers spinning in sched_yield were half of the broker's CPU at one request at a time.
        var properties = ConfigProperties();
        Assert.True(properties.TryGetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", out var limit));
        Assert.Equal(0, limit.GetInt32());
    }

    [Fact]
    public void BrokerRuntimeConfig_KeepsServerGc()
    {
        // Workstation GC was measured slower at c=1 and c=64 on 2 cores (docs/performance.md); server GC (with DATAS) stays.
        Assert.True(ConfigProperties().GetProperty("System.GC.Server").GetBoolean());
    }
}
