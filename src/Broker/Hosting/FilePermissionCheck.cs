using AgentVault.Broker.Security;
using AgentVault.Broker.Server;

namespace AgentVault.Broker.Hosting;

/// <summary>
/// Finds the files whose integrity the broker relies on that another local user could change: the data directory,
/// <c>master.key</c>, the plugins folder (every folder and file below it: a plugin is code the broker runs, and the lock is
/// checked against the files then loaded from the same paths) and <c>plugins.lock</c>. Outside <c>--dev</c> any of them
/// writable by group or others stops start-up; with <c>--dev</c> it is a warning.
/// </summary>
internal static class FilePermissionCheck
{
    private const UnixFileMode GroupOrOthersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    private const int MaxListed = 3;

    /// <summary>One line per problem, each naming the path and the <c>chmod</c> that fixes it; empty when all is well (always on Windows).</summary>
    public static IReadOnlyList<string> Find(ServerOptions options)
    {
        if (OperatingSystem.IsWindows())
        {
            return [];
        }

        var problems = new List<string>();
        Check(options.DataDir, "data directory", problems);
        Check(Path.Combine(options.DataDir, MasterKeyOptions.KeyFileName), "master key file", problems);
        if (options.PluginsLock is { } lockFile)
        {
            Check(lockFile, "plugins lock", problems);
        }

        if (Directory.Exists(options.PluginsDir))
        {
            var loose = LooseBelow(options.PluginsDir);
            if (loose.Count > 0)
            {
                var listed = string.Join(", ", loose.Take(MaxListed).Select(p => $"{p.Path} (mode {Octal(p.Mode)})"));
                var more = loose.Count > MaxListed ? $" and {loose.Count - MaxListed} more" : string.Empty;
                problems.Add($"the plugins folder is writable by group or others: {listed}{more}; fix with: chmod -R go-w '{options.PluginsDir}'");
            }
        }

        return problems;
    }

    private static void Check(string path, string what, List<string> problems)
    {
        if ((File.Exists(path) || Directory.Exists(path)) && ModeOf(path) is var mode && (mode & GroupOrOthersWrite) != 0)
        {
            problems.Add($"the {what} {path} is writable by group or others (mode {Octal(mode)}); fix with: chmod go-w '{path}'");
        }
    }

    private static List<(string Path, UnixFileMode Mode)> LooseBelow(string root)
    {
        var loose = new List<(string, UnixFileMode)>();
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Prepend(root))
        {
            var mode = ModeOf(path);
            if ((mode & GroupOrOthersWrite) != 0)
            {
                loose.Add((path, mode));
            }
        }

        return loose;
    }

    private static UnixFileMode ModeOf(string path) => OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path);

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
}
