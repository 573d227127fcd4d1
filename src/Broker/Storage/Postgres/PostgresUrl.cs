using System.Globalization;
using Npgsql;

namespace AgentVault.Broker.Storage.Postgres;

/// <summary>
/// A parsed <c>postgres://user:password@host:port/database?option=value</c> URL (also <c>postgresql://</c>).
/// User and password are percent-decoded; the port defaults to 5432. <see cref="ToString"/> never shows the password.
/// </summary>
internal sealed class PostgresUrl
{
    public const int DefaultPort = 5432;

    private PostgresUrl(string host, int port, string? database, string? username, string? password, IReadOnlyDictionary<string, string> options)
    {
        Host = host;
        Port = port;
        Database = database;
        Username = username;
        Password = password;
        Options = options;
    }

    public string Host { get; }

    public int Port { get; }

    public string? Database { get; }

    public string? Username { get; }

    public string? Password { get; }

    public IReadOnlyDictionary<string, string> Options { get; }

    public static bool IsPostgres(string url) =>
        url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="url"/>; on failure <paramref name="error"/> says why without repeating the password.</summary>
    public static bool TryParse(string url, out PostgresUrl? result, out string? error)
    {
        ArgumentNullException.ThrowIfNull(url);
        result = null;
        error = Parse(url.Trim(), out result);
        return error is null;
    }

    /// <summary>The Npgsql connection string (pooled) for this URL.</summary>
    public string ToConnectionString()
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            ApplicationName = "agent-vault",
            Pooling = true,
            Timeout = 15,
        };
        if (Database is not null)
        {
            builder.Database = Database;
        }

        if (Username is not null)
        {
            builder.Username = Username;
        }

        if (Password is not null)
        {
            builder.Password = Password;
        }

        foreach (var (name, value) in Options)
        {
            PostgresUrlOptions.Apply(builder, name, value);
        }

        return builder.ConnectionString;
    }

    /// <summary>The URL without its password, for messages: <c>postgres://user@host:port/database</c>.</summary>
    public override string ToString()
    {
        var user = Username is null ? string.Empty : Uri.EscapeDataString(Username) + "@";
        var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        return $"postgres://{user}{host}:{Port.ToString(CultureInfo.InvariantCulture)}/{Database}";
    }

    private static string? Parse(string url, out PostgresUrl? result)
    {
        result = null;
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0 || !IsPostgres(url))
        {
            return "a PostgreSQL URL starts with postgres:// or postgresql://";
        }

        var rest = url[(scheme + 3)..];
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var query = queryStart < 0 ? string.Empty : rest[(queryStart + 1)..];
        var main = queryStart < 0 ? rest : rest[..queryStart];

        // The last '@' ends the user info, so an unencoded '@' or '/' in the password still parses.
        var at = main.LastIndexOf('@');
        var userInfo = at < 0 ? null : main[..at];
        var hostAndPath = at < 0 ? main : main[(at + 1)..];
        var slash = hostAndPath.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? hostAndPath : hostAndPath[..slash];
        var path = slash < 0 ? string.Empty : hostAndPath[(slash + 1)..];

        if (!TryDecode(userInfo, out var username, out var password))
        {
            return "the user name or password is not valid percent-encoding (encode reserved characters such as @ : / ? # % as %XX)";
        }

        var hostError = ParseAuthority(authority, out var host, out var port);
        if (hostError is not null)
        {
            return hostError;
        }

        string? database = null;
        if (path.Length > 0)
        {
            if (!TryUnescape(path, out database) || database.Contains('/', StringComparison.Ordinal))
            {
                return $"'{path}' is not a database name";
            }
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            if (!TryUnescape(equals < 0 ? string.Empty : pair[(equals + 1)..], out var value))
            {
                return $"the value of option '{name}' is not valid percent-encoding";
            }

            var optionError = PostgresUrlOptions.Check(name, value);
            if (optionError is not null)
            {
                return optionError;
            }

            options[name] = value;
        }

        result = new PostgresUrl(host!, port, database, username, password, options);
        return null;
    }

    private static string? ParseAuthority(string authority, out string? host, out int port)
    {
        host = null;
        port = DefaultPort;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return "an IPv6 host must be written in brackets: postgres://user@[::1]:5432/db";
            }

            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                if (!after.StartsWith(':'))
                {
                    return $"unexpected '{after}' after the host";
                }

                portText = after[1..];
            }
        }
        else
        {
            var colon = authority.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? null : authority[(colon + 1)..];
            if (!TryUnescape(host, out host))
            {
                return "the host is not valid percent-encoding";
            }
        }

        if (string.IsNullOrEmpty(host))
        {
            return "a PostgreSQL URL needs a host: postgres://user:password@host:5432/database";
        }

        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            return $"'{portText}' is not a port number (1-65535)";
        }

        return null;
    }

    private static bool TryDecode(string? userInfo, out string? username, out string? password)
    {
        username = null;
        password = null;
        if (userInfo is null)
        {
            return true;
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? userInfo : userInfo[..colon];
        if (!TryUnescape(user, out var decodedUser))
        {
            return false;
        }

        username = decodedUser.Length == 0 ? null : decodedUser;
        if (colon < 0)
        {
            return true;
        }

        if (!TryUnescape(userInfo[(colon + 1)..], out var decodedPassword))
        {
            return false;
        }

        password = decodedPassword;
        return true;
    }

    // Strict percent-decoding: a '%' not followed by two hex digits is an error (Uri.UnescapeDataString would keep it).
    private static bool TryUnescape(string text, out string decoded)
    {
        decoded = text;
        for (var i = text.IndexOf('%', StringComparison.Ordinal); i >= 0; i = text.IndexOf('%', i + 1))
        {
            if (i + 2 >= text.Length || !Uri.IsHexDigit(text[i + 1]) || !Uri.IsHexDigit(text[i + 2]))
            {
                return false;
            }
        }

        decoded = Uri.UnescapeDataString(text);
        return true;
    }
}
