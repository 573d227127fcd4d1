using System.Globalization;
using System.Text.RegularExpressions;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Soak;

/// <summary>The broker's request-log counters from <c>GET /metrics</c>: records written and dropped since start.</summary>
internal sealed partial record SoakMetrics(long Written, long Dropped)
{
    public static async Task<SoakMetrics> ReadAsync(BrokerProcess broker)
    {
        using var api = broker.CreateApiClient();
        var text = await api.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return new SoakMetrics(Sum(WrittenLine(), text), Sum(DroppedLine(), text));
    }

    private static long Sum(Regex line, string text) =>
        line.Matches(text).Sum(m => (long)double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^agentvault_request_log_written_total(?:\{[^}]*\})?\s+([0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex WrittenLine();

    [GeneratedRegex(@"^agentvault_request_log_dropped_total(?:\{[^}]*\})?\s+([0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex DroppedLine();
}
