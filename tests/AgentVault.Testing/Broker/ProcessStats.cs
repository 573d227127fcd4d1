using System.Globalization;

namespace AgentVault.Testing.Broker;

/// <summary>What Linux says about a process: resident memory, open file descriptors and threads (<c>/proc/PID/status</c>, <c>/proc/PID/fd</c>).</summary>
public readonly record struct ProcessStats(long RssKiB, int OpenFiles, int Threads)
{
    /// <summary>Reads the figures of process <paramref name="pid"/> (same user); throws when it is gone.</summary>
    public static ProcessStats Read(int pid)
    {
        long rss = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line["VmRSS:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return new ProcessStats(rss, Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length, threads);
    }
}
