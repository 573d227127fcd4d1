using System.Globalization;
using Npgsql;

namespace AgentVault.Broker.Storage.Postgres;

/// <summary>The query options of a PostgreSQL URL (libpq names) and how they map onto Npgsql's connection string.</summary>
internal static class PostgresUrlOptions
{
    private static readonly string[] SslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

    /// <summary>The query options this broker understands, as documented in docs/configuration.md.</summary>
    public static IReadOnlyList<string> Supported { get; } =
        ["sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "connect_timeout", "command_timeout", "application_name", "search_path", "pool_max_size", "pool_min_size"];

    /// <summary>Returns an error message for an unknown option or a bad value, else null.</summary>
    public static string? Check(string name, string value)
    {
        switch (name)
        {
            case "sslmode" when !SslModes.Contains(value, StringComparer.Ordinal):
                return $"sslmode must be one of {string.Join(", ", SslModes)}, not '{value}'";
            case "connect_timeout" or "command_timeout" or "pool_max_size" or "pool_min_size"
                when !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 0 || (name == "pool_max_size" && number == 0):
                return $"{name} must be a whole number{(name == "pool_max_size" ? " above zero" : string.Empty)}, not '{value}'";
            case "sslmode" or "connect_timeout" or "command_timeout" or "pool_max_size" or "pool_min_size":
                return null;
            case "sslrootcert" or "sslcert" or "sslkey" or "sslpassword" or "application_name" or "search_path":
                return value.Length == 0 ? $"option '{name}' needs a value" : null;
            default:
                return $"unknown option '{name}' in the PostgreSQL URL (supported: {string.Join(", ", Supported)})";
        }
    }

    public static void Apply(NpgsqlConnectionStringBuilder builder, string name, string value)
    {
        switch (name)
        {
            case "sslmode":
                builder.SslMode = value switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    _ => SslMode.VerifyFull,
                };
                break;
            case "sslrootcert":
                builder.RootCertificate = value;
                break;
            case "sslcert":
                builder.SslCertificate = value;
                break;
            case "sslkey":
                builder.SslKey = value;
                break;
            case "sslpassword":
                builder.SslPassword = value;
                break;
            case "connect_timeout":
                builder.Timeout = int.Parse(value, CultureInfo.InvariantCulture);
                break;
            case "command_timeout":
                builder.CommandTimeout = int.Parse(value, CultureInfo.InvariantCulture);
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "search_path":
                builder.SearchPath = value;
                break;
            case "pool_max_size":
                builder.MaxPoolSize = int.Parse(value, CultureInfo.InvariantCulture);
                break;
            default:
                builder.MinPoolSize = int.Parse(value, CultureInfo.InvariantCulture);
                break;
        }
    }
}
