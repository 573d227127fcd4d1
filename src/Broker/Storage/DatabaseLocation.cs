using AgentVault.Broker.Server;
using AgentVault.Broker.Storage.Postgres;

namespace AgentVault.Broker.Storage;

/// <summary>
/// Where the metadata lives: <c>--database-url</c> (<c>sqlite:PATH</c> or <c>postgres://…</c>) or the SQLite file in the data directory.
/// Exactly one of <see cref="SqlitePath"/> and <see cref="Postgres"/> is set.
/// </summary>
internal sealed record DatabaseLocation
{
    public const string DefaultFileName = "agent-vault.db";

    public DatabaseLocation(string sqlitePath) => SqlitePath = sqlitePath;

    private DatabaseLocation(PostgresUrl postgres) => Postgres = postgres;

    public string? SqlitePath { get; }

    public PostgresUrl? Postgres { get; }

    /// <summary>Checks the syntax of a database URL; returns an error message (never containing a password) or null.</summary>
    public static string? Validate(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        if (PostgresUrl.IsPostgres(url))
        {
            return PostgresUrl.TryParse(url, out _, out var error) ? null : error;
        }

        if (!url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            return $"unsupported database URL scheme in '{Redact(url)}' (use sqlite:PATH or postgres://…)";
        }

        return SqlitePathOf(url).Length == 0 ? "a sqlite: database URL needs a file path (sqlite:/var/lib/agent-vault/agent-vault.db)" : null;
    }

    /// <summary>Resolves the location; a malformed URL is a <see cref="BrokerStartupException"/>.</summary>
    public static DatabaseLocation Resolve(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var url = options.DatabaseUrl;
        if (string.IsNullOrWhiteSpace(url))
        {
            return new DatabaseLocation(Path.Combine(options.DataDir, DefaultFileName));
        }

        if (PostgresUrl.IsPostgres(url))
        {
            return PostgresUrl.TryParse(url, out var postgres, out var problem)
                ? new DatabaseLocation(postgres!)
                : throw new BrokerStartupException($"--database-url: {problem}");
        }

        var error = Validate(url);
        if (error is not null)
        {
            throw new BrokerStartupException(error);
        }

        return new DatabaseLocation(Path.GetFullPath(SqlitePathOf(url)));
    }

    /// <summary>The location for messages: the SQLite path, or the PostgreSQL URL without its password.</summary>
    public override string ToString() => Postgres?.ToString() ?? SqlitePath ?? string.Empty;

    private static string SqlitePathOf(string url)
    {
        var path = url["sqlite:".Length..];

        // sqlite:///abs/path and sqlite://relative are accepted like sqlite:/abs/path and sqlite:relative.
        return path.StartsWith("//", StringComparison.Ordinal) ? path[2..] : path;
    }

    // A database URL may carry a password (postgres://user:pass@host); never echo it.
    private static string Redact(string url)
    {
        var at = url.LastIndexOf('@');
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 && at > scheme ? url[..(scheme + 3)] + "…" + url[at..] : url;
    }
}
