namespace AgentVault.Broker.Server;

/// <summary>Creates the data directory with mode 0700 (it holds the database, the admin token and, with --dev, the master key file).</summary>
internal static class DataDirectory
{
    public static void Ensure(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                var parent = Path.GetDirectoryName(Path.GetFullPath(path));
                if (!string.IsNullOrEmpty(parent))
                {
                    Directory.CreateDirectory(parent);
                }

                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BrokerStartupException($"cannot create the data directory {path}: {ex.Message}", ex);
        }
    }
}
