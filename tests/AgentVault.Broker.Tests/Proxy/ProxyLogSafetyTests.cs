using AgentVault.Broker.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>YARP logs the (possibly substituted) destination URI at Information: no logging configuration may turn that on.</summary>
public sealed class ProxyLogSafetyTests
{
    public static TheoryData<string, string> Configurations => new()
    {
        { "Logging:LogLevel:Default", "Trace" },
        { "Logging:LogLevel:Yarp", "Trace" },
        { "Logging:LogLevel:Yarp.ReverseProxy.Forwarder", "Debug" },
        { "Logging:LogLevel:Yarp.ReverseProxy.Forwarder.HttpForwarder", "Information" },
        { "Logging:LogLevel:Yarp*", "Trace" },
        { "Logging:LogLevel:*.HttpForwarder", "Trace" },
        { "Logging:Console:LogLevel:Default", "Trace" },
        { "Logging:Console:LogLevel:Yarp.ReverseProxy", "Trace" },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void AnyConfiguration_KeepsYarpAtWarning(string key, string level)
    {
        using var services = Build(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace", [key] = level });
        var factory = services.GetRequiredService<ILoggerFactory>();

        var yarp = factory.CreateLogger("Yarp.ReverseProxy.Forwarder.HttpForwarder");
        Assert.False(yarp.IsEnabled(LogLevel.Information));
        Assert.True(yarp.IsEnabled(LogLevel.Warning));
        Assert.True(factory.CreateLogger("AgentVault.Broker.Proxy.ProxyRequestHandler").IsEnabled(LogLevel.Trace));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddSimpleConsole());
        services.PostConfigure<LoggerFilterOptions>(ProxyLogSafety.Clamp);
        return services.BuildServiceProvider();
    }
}
