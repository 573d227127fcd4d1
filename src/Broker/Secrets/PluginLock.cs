using System.Buffers;
using System.Globalization;
using System.Text;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// The pinned plugins (docs/plugins.md#pinning): <c>plugins.lock</c> holds one line <c>&lt;sha256&gt;  &lt;Name&gt;/&lt;file&gt;</c> per file
/// of every plugin folder, the format <c>sha256sum</c> prints inside the plugins folder (blank lines and <c>#</c> comments
/// are ignored). A plugin loads only when its folder holds exactly the pinned files with the pinned hashes. A lock that
/// cannot be read fails every plugin rather than none.
/// </summary>
internal sealed class PluginLock
{
    public const string FileName = "plugins.lock";

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private readonly Dictionary<string, string> _pins;

    private PluginLock(string path, Dictionary<string, string> pins, string? error)
    {
        Path = path;
        _pins = pins;
        Error = error;
    }

    public string Path { get; }

    /// <summary>Why the lock file is unusable (unreadable, malformed); null when it was read.</summary>
    public string? Error { get; }

    /// <summary><c>plugins.lock</c> beside <paramref name="pluginsDirectory"/> (in its parent folder).</summary>
    public static string DefaultPath(string pluginsDirectory)
    {
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(pluginsDirectory));
        return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full) ?? full, FileName);
    }

    public static PluginLock Load(string path)
    {
        var pins = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new PluginLock(path, pins, $"cannot read {path}: {ex.Message}");
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (!TryParseLine(line, out var hash, out var name))
            {
                return new PluginLock(path, pins, $"{path} line {(i + 1).ToString(CultureInfo.InvariantCulture)} is not '<sha256>  <Name>/<file>'");
            }

            if (!pins.TryAdd(name, hash))
            {
                return new PluginLock(path, pins, $"{path} pins {name} twice");
            }
        }

        return new PluginLock(path, pins, null);
    }

    /// <summary>Writes the lines for <paramref name="plugins"/> (see <see cref="PluginFileHasher.HashAll"/>).</summary>
    public static string Format(IEnumerable<(string Plugin, IReadOnlyList<(string Name, string Sha256)> Files)> plugins)
    {
        var text = new StringBuilder();
        foreach (var (_, files) in plugins)
        {
            foreach (var (name, sha256) in files)
            {
                text.Append(sha256).Append("  ").Append(name).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Null when the folder <paramref name="plugin"/> of <paramref name="pluginsDirectory"/> holds exactly the files pinned for it with
    /// their pinned hashes; otherwise the error naming the first mismatch (and how many more there are).
    /// </summary>
    public string? Verify(string pluginsDirectory, string plugin)
    {
        if (Error is not null)
        {
            return $"plugins are pinned but the lock is unusable: {Error}";
        }

        var prefix = plugin + "/";
        var pinned = _pins.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (pinned.Count == 0)
        {
            return $"plugin '{plugin}' is not listed in {Path}; pin it with 'agent-vault plugins lock' if you trust it";
        }

        IReadOnlyList<(string Name, string Sha256)> files;
        try
        {
            files = PluginFileHasher.HashFolder(pluginsDirectory, System.IO.Path.Combine(pluginsDirectory, plugin));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot hash the files of plugin '{plugin}': {ex.Message}";
        }

        var problems = new List<string>();
        foreach (var (name, sha256) in files)
        {
            if (!pinned.Remove(name, out var expected))
            {
                problems.Add($"{name} is not listed in {Path}");
            }
            else if (!string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{name} does not match {Path} (SHA-256 {sha256[..16]}…, pinned {expected.ToLowerInvariant()[..16]}…)");
            }
        }

        problems.AddRange(pinned.Keys.Order(StringComparer.Ordinal).Select(name => $"{name} is pinned in {Path} but missing"));
        return problems.Count switch
        {
            0 => null,
            1 => problems[0],
            _ => $"{problems[0]} (and {problems.Count - 1} more mismatched file{(problems.Count == 2 ? string.Empty : "s")})",
        };
    }

    // "<64 hex>  <name>" as sha256sum prints it; "<64 hex> *<name>" (binary mode) is accepted too.
    private static bool TryParseLine(string line, out string hash, out string name)
    {
        hash = string.Empty;
        name = string.Empty;
        if (line.Length < 67 || line[64] != ' ' || line[65] is not (' ' or '*') || line.AsSpan(0, 64).ContainsAnyExcept(HexDigits))
        {
            return false;
        }

        hash = line[..64].ToLowerInvariant();
        name = line[66..];
        return name.Contains('/', StringComparison.Ordinal) && !name.StartsWith('/');
    }
}
