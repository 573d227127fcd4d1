namespace AgentVault.Broker.Tests.Storage;

/// <summary>Unix permission bits of a file or directory (the broker runs on Linux; permission tests need them).</summary>
internal static class FileModes
{
    public static UnixFileMode Of(string path) =>
        OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException("Unix file modes") : File.GetUnixFileMode(path);
}
