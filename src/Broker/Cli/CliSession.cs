using System.Text.Json;
using AgentVault.Broker.Security;

namespace AgentVault.Broker.Cli;

/// <summary>
/// The session <c>agent-vault login</c> keeps in <c>&lt;config dir&gt;/session</c> (mode 0600, directory 0700): the broker
/// address it is for, the session token, the person's email and when it expires. Management commands send it when no
/// admin token is given in the environment.
/// </summary>
internal sealed record CliSession(string Address, string Token, string Email, DateTimeOffset? ExpiresAt)
{
    public static string FilePath() => Path.Combine(CliEnvironment.ConfigDir(), "session");

    public static CliSession? Load()
    {
        try
        {
            var session = JsonSerializer.Deserialize<CliSession>(File.ReadAllText(FilePath()));
            return session is { Address.Length: > 0, Token.Length: > 0 } ? session : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Save()
    {
        var directory = CliEnvironment.ConfigDir();
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        PrivateFile.Replace(FilePath(), JsonSerializer.SerializeToUtf8Bytes(this));
    }

    public static bool Delete()
    {
        var exists = File.Exists(FilePath());
        File.Delete(FilePath());
        return exists;
    }

    public override string ToString() => $"session of {Email} at {Address}";
}
