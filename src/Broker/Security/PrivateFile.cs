namespace AgentVault.Broker.Security;

/// <summary>Writes files only the owner can read: created with mode 0600 from the first byte, replaced atomically.</summary>
internal static class PrivateFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/>; fails if it exists.</summary>
    public static void WriteNew(string path, ReadOnlySpan<byte> content)
    {
        using var stream = new FileStream(path, Options(FileMode.CreateNew));
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Writes a temporary 0600 file beside <paramref name="path"/> and renames it over the target.</summary>
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            WriteNew(temporary, content);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static FileStreamOptions Options(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        return options;
    }
}
