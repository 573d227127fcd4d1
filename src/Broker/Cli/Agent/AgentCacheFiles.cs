using System.Text;
using AgentVault.Broker.Security;

namespace AgentVault.Broker.Cli.Agent;

/// <summary>
/// The agent side's per-user cache directory (<c>$XDG_CACHE_HOME/agent-vault</c> or <c>~/.cache/agent-vault</c>, mode 0700)
/// and atomic writes of its files (mode 0600, <see cref="PrivateFile"/>): the broker CA (<see cref="CaFiles"/>) and the Node.js preload (<see cref="NodePreload"/>).
/// </summary>
internal static class AgentCacheFiles
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

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

    /// <summary>Replaces <paramref name="path"/> atomically with a 0600 file holding <paramref name="content"/>.</summary>
    public static void Write(string path, string content) => PrivateFile.Replace(path, Encoding.UTF8.GetBytes(content));
}
