using System.Globalization;

namespace AgentVault.Broker.Sinks;

/// <summary>One parsed <c>--audit-sink</c> value: <c>file:PATH</c>, <c>syslog+tcp://HOST:PORT</c> or <c>syslog+tls://HOST:PORT</c>.</summary>
internal sealed record SinkAddress(SinkKind Kind, string Target, int Port)
{
    /// <summary>The name used in logs and the dropped-records metric (never holds a secret: a path or a host and port).</summary>
    public string Name => Kind switch
    {
        SinkKind.File => "file:" + Target,
        SinkKind.SyslogTcp => $"syslog+tcp://{Target}:{Port.ToString(CultureInfo.InvariantCulture)}",
        _ => $"syslog+tls://{Target}:{Port.ToString(CultureInfo.InvariantCulture)}",
    };

    public static bool TryParse(string text, out SinkAddress? address, out string? problem)
    {
        address = null;
        problem = null;
        var value = text.Trim();
        if (value.StartsWith("file:", StringComparison.Ordinal))
        {
            return TryParseFile(value["file:".Length..], out address, out problem);
        }

        var kind = value.StartsWith("syslog+tcp://", StringComparison.Ordinal) ? SinkKind.SyslogTcp
            : value.StartsWith("syslog+tls://", StringComparison.Ordinal) ? SinkKind.SyslogTls
            : (SinkKind?)null;
        if (kind is null)
        {
            problem = $"'{value}' is not file:PATH, syslog+tcp://HOST:PORT or syslog+tls://HOST:PORT";
            return false;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.IsDefaultPort || uri.Port <= 0
            || uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            problem = $"'{value}' is not syslog+tcp://HOST:PORT or syslog+tls://HOST:PORT (a port is required)";
            return false;
        }

        address = new SinkAddress(kind.Value, uri.IdnHost, uri.Port);
        return true;
    }

    private static bool TryParseFile(string path, out SinkAddress? address, out string? problem)
    {
        address = null;
        if (path.Length == 0)
        {
            problem = "file: needs a path (file:/var/log/agent-vault/audit.jsonl)";
            return false;
        }

        var full = Path.GetFullPath(path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path);
        var directory = Path.GetDirectoryName(full);
        if (directory is null || !Directory.Exists(directory) || Directory.Exists(full))
        {
            problem = $"file:{path}: the directory must exist and the path must not be a directory";
            return false;
        }

        problem = null;
        address = new SinkAddress(SinkKind.File, full, 0);
        return true;
    }
}
