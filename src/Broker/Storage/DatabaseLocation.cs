using AgentVault.Broker.Hosting;

namespace AgentVault.Broker.Storage;

/// <summary>Where the metadata lives: <c>--database-url</c> (<c>sqlite:PATH</c>) or the SQLite file in the data directory.</summary>
internal sealed record DatabaseLocation(string SqlitePath)
{
    public const string DefaultFileName = "agent-vault.db";

    /// <summary>Checks the syntax of a database URL; returns an error message or null.</summary>
    public static string? Validate(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || IsPostgres(url))
        {
            return null;
        }

        if (!url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            return $"unsupported database URL scheme in '{Redact(url)}' (use sqlite:PATH or postgres://…)";
        }

        return SqlitePathOf(url).Length == 0 ? "a sqlite: database URL needs a file path (sqlite:/var/lib/agent-vault/agent-vault.db)" : null;
    }

    /// <summary>Resolves the location; PostgreSQL is recognised but not implemented yet.</summary>
    public static DatabaseLocation Resolve(ServerOptions options)
    {
        var url = options.DatabaseUrl;
        if (string.IsNullOrWhiteSpace(url))
        {
            return new DatabaseLocation(Path.Combine(options.DataDir, DefaultFileName));
        }

        if (IsPostgres(url))
        {
            throw new BrokerStartupException("PostgreSQL is not supported yet; use the default SQLite database or --database-url sqlite:PATH");
        }

        var error = Validate(url);
        if (error is not null)
        {
            throw new BrokerStartupException(error);
        }

        return new DatabaseLocation(Path.GetFullPath(SqlitePathOf(url)));
    }

    private static bool IsPostgres(string url) =>
        url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
        url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    private static string SqlitePathOf(string url)
    {
        var path = url["sqlite:".Length..];

        // sqlite:///abs/path and sqlite://relative are accepted like sqlite:/abs/path and sqlite:relative.
        return path.StartsWith("//", StringComparison.Ordinal) ? path[2..] : path;
    }

    // A database URL may carry a password (postgres://user:pass@host); never echo it.
    private static string Redact(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 && at > scheme ? url[..(scheme + 3)] + "…" + url[at..] : url;
    }
}
