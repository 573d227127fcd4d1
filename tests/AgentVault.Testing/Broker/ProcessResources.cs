using System.Globalization;

namespace AgentVault.Testing.Broker;

/// <summary>What a process holds, read from <c>/proc</c>: open file descriptors and resident memory.</summary>
public readonly record struct ProcessResources(int Descriptors, long ResidentBytes)
{
    public long ResidentMiB => ResidentBytes / (1024 * 1024);

    public static ProcessResources Of(int pid)
    {
        var descriptors = Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
        var rss = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kib = long.Parse(rss["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return new ProcessResources(descriptors, kib * 1024);
    }

    public override string ToString() => $"{Descriptors} descriptors, {ResidentMiB} MiB resident";
}
