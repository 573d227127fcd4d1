using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AgentVault.Broker.Hosting;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage.Common;
using AgentVault.Broker.Tls;

namespace AgentVault.Broker.Operations;

/// <summary>
/// The checks of <c>agent-vault doctor</c> that read the broker host directly: file permissions, the database (reachable,
/// schema version, its server's clock), the CA's expiry and the plugin pins. The checks that need the running server live in
/// the CLI (stores, plugins loaded, the API's clock).
/// </summary>
internal static class LocalDoctor
{
    /// <summary>A CA that expires within this is a warning.</summary>
    public static readonly TimeSpan CaWarning = TimeSpan.FromDays(30);

    /// <summary>Clock skew above this is a warning, above <see cref="SkewFailure"/> a failure (token expiry and TLS validity depend on it).</summary>
    public static readonly TimeSpan SkewWarning = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan SkewFailure = TimeSpan.FromMinutes(1);

    public static DoctorCheck Permissions(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(options.DataDir))
        {
            return new(DoctorCheck.Fail, "permissions", $"the data directory {options.DataDir} does not exist");
        }

        var problems = FilePermissionCheck.Find(options);
        return problems.Count == 0
            ? new(DoctorCheck.Ok, "permissions", $"{options.DataDir}, its key file and the plugins are writable by their owner only")
            : new(DoctorCheck.Fail, "permissions", string.Join("; ", problems));
    }

    public static DoctorCheck Plugins(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PluginsLock is not { } path || !File.Exists(path))
        {
            return new(DoctorCheck.Warn, "plugins-pinned", $"no plugins.lock beside {options.PluginsDir}: plugins load unpinned (run agent-vault plugins lock)");
        }

        var pins = PluginLock.Load(path);
        var plugins = Directory.Exists(options.PluginsDir) ? Directory.GetDirectories(options.PluginsDir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList() : [];
        var failures = plugins.Select(p => pins.Verify(options.PluginsDir, p)).OfType<string>().ToList();
        return failures.Count == 0
            ? new(DoctorCheck.Ok, "plugins-pinned", $"{plugins.Count} plugin(s) match {path}")
            : new(DoctorCheck.Fail, "plugins-pinned", string.Join("; ", failures));
    }

    /// <summary>Database, schema version, CA expiry and (PostgreSQL) the database server's clock, from one connection.</summary>
    public static async Task<IReadOnlyList<DoctorCheck>> DatabaseAsync(OperationsDatabase database, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        if (!database.Exists)
        {
            return [new(DoctorCheck.Fail, "database", $"there is no database at {database} (start the server once, or set --database-url / --data-dir)")];
        }

        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var checks = new List<DoctorCheck>();
            var version = await SchemaCatalog.VersionAsync(connection, null, cancellationToken);
            checks.Add(version switch
            {
                null => new(DoctorCheck.Fail, "database", $"{database} is reachable but is not an agent-vault database"),
                var v when v > database.LatestVersion => new(DoctorCheck.Fail, "database", $"{database}: schema version {v} is newer than this agent-vault ({database.LatestVersion})"),
                var v when v < database.LatestVersion => new(DoctorCheck.Warn, "database", $"{database}: schema version {v}; this agent-vault upgrades it to {database.LatestVersion} on start"),
                var v => new(DoctorCheck.Ok, "database", $"{database}: reachable, schema version {v}"),
            });
            if (version is null)
            {
                return checks;
            }

            var ca = await SqlDatabase.ScalarAsync(connection, null, "SELECT value FROM blobs WHERE name = @name;", cancellationToken, ("@name", StoredCa.BlobName)) as byte[];
            checks.Add(Ca(ca, time.GetUtcNow()));
            if (database.IsPostgres && await SqlDatabase.ScalarAsync(connection, null, "SELECT now();", cancellationToken) is DateTime serverNow)
            {
                checks.Add(Skew("clock-database", serverNow - time.GetUtcNow().UtcDateTime, "the PostgreSQL server"));
            }

            return checks;
        }
        catch (Exception ex) when (OperationsDatabase.IsDatabaseFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            return [new(DoctorCheck.Fail, "database", $"cannot use {database}: {database.Describe(ex)}")];
        }
    }

    public static DoctorCheck Ca(byte[]? stored, DateTimeOffset now)
    {
        if (stored is null)
        {
            return new(DoctorCheck.Warn, "ca-expiry", "no CA yet (the server creates it on first start)");
        }

        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(StoredCa.FromBytes(stored).Certificate);
            var left = certificate.NotAfter.ToUniversalTime() - now.UtcDateTime;
            var until = certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            return left <= TimeSpan.Zero ? new(DoctorCheck.Fail, "ca-expiry", $"the CA expired on {until}")
                : left < CaWarning ? new(DoctorCheck.Warn, "ca-expiry", $"the CA expires on {until}, in {(int)left.TotalDays} day(s)")
                : new(DoctorCheck.Ok, "ca-expiry", $"the CA is valid until {until}");
        }
        catch (Exception ex) when (ex is JsonException or System.Security.Cryptography.CryptographicException)
        {
            return new(DoctorCheck.Fail, "ca-expiry", "the stored CA record is malformed");
        }
    }

    /// <summary>How far another clock is from ours (positive: theirs is ahead).</summary>
    public static DoctorCheck Skew(string name, TimeSpan skew, string other)
    {
        var seconds = Math.Abs(skew.TotalSeconds).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        var detail = $"{other}'s clock is {seconds} s {(skew >= TimeSpan.Zero ? "ahead of" : "behind")} this host's";
        var size = skew.Duration();
        return new(size > SkewFailure ? DoctorCheck.Fail : size > SkewWarning ? DoctorCheck.Warn : DoctorCheck.Ok, name, detail);
    }
}
