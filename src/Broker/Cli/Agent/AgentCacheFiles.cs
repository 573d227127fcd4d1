using System.Text;

namespace AgentVault.Broker.Cli.Agent;

/// <summary>
/// The agent side's per-user cache directory (<c>$XDG_CACHE_HOME/agent-vault</c> or <c>~/.cache/agent-vault</c>, mode 0700)
/// and atomic writes of its files (mode 0600): the broker CA (<see cref="CaFiles"/>) and the Node.js preload (<see cref="NodePreload"/>).
/// </summary>
internal static class AgentCacheFiles
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string Directory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "agent-vault");
    }

    /// <summary>Creates the directory (0700, tightened if it already existed) and returns it.</summary>
    public static string EnsureDirectory()
    {
        var directory = Directory();
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(directory, DirectoryMode);
            File.SetUnixFileMode(directory, DirectoryMode);
        }

        return directory;
    }

    /// <summary>Writes <paramref name="content"/> to a new 0600 file beside <paramref name="path"/> and renames it over <paramref name="path"/>.</summary>
    public static async Task WriteAtomicallyAsync(string path, string content, CancellationToken cancellationToken)
    {
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode600;
        }

        try
        {
            await using (var stream = new FileStream(temp, options))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(content), cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
