using System.Security.Cryptography;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// SHA-256 of every file of a plugin folder, named as in <c>plugins.lock</c>: <c>&lt;Name&gt;/&lt;path inside the folder&gt;</c>
/// with forward slashes. Every file counts, not only <c>&lt;Name&gt;.dll</c>: the dependency DLLs, native libraries,
/// <c>.deps.json</c> and <c>.runtimeconfig.json</c> of a plugin steer what the load context loads.
/// </summary>
internal static class PluginFileHasher
{
    /// <summary>The files of <paramref name="pluginFolder"/> (a folder of <paramref name="pluginsDirectory"/>) in ordinal order of their lock name, each with its lower-case hex SHA-256.</summary>
    public static IReadOnlyList<(string Name, string Sha256)> HashFolder(string pluginsDirectory, string pluginFolder)
    {
        var files = new List<(string Name, string Sha256)>();
        foreach (var file in Directory.EnumerateFiles(pluginFolder, "*", SearchOption.AllDirectories))
        {
            files.Add((LockName(pluginsDirectory, file), Hash(file)));
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return files;
    }

    /// <summary>Every plugin folder of <paramref name="pluginsDirectory"/> (name order) with its hashed files.</summary>
    public static IReadOnlyList<(string Plugin, IReadOnlyList<(string Name, string Sha256)> Files)> HashAll(string pluginsDirectory) =>
        Directory.GetDirectories(pluginsDirectory)
            .OrderBy(d => d, StringComparer.Ordinal)
            .Select(d => (Path.GetFileName(d), HashFolder(pluginsDirectory, d)))
            .ToList();

    private static string LockName(string pluginsDirectory, string file) =>
        Path.GetRelativePath(pluginsDirectory, file).Replace(Path.DirectorySeparatorChar, '/');

    private static string Hash(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
