using System.Globalization;
using AgentVault.Testing.Upstream;

namespace AgentVault.Testing.Broker;

/// <summary>
/// A small data disk only the broker sees: a tmpfs of <c>megabytes</c> mounted on <see cref="DataDir"/> inside a private mount
/// namespace the broker is started in (<see cref="Launcher"/>: <c>unshare -m</c> as root; as another user <c>unshare -r -m</c>,
/// which needs unprivileged user namespaces). The test fills it (<see cref="FillAsync"/>) and frees it (<see cref="FreeAsync"/>)
/// by entering that namespace with <c>nsenter</c>; the machine's mounts are never touched, and the tmpfs goes away with the
/// broker process. The test process itself sees an empty <see cref="DataDir"/>: read the admin token from the broker's output.
/// </summary>
public sealed class PrivateDataDisk : IDisposable
{
    // $1 the mount point, $2 the tmpfs options; the rest is the broker's command line, exec'd so its pid is the launcher's.
    private const string MountThenExec = "dir=$1; options=$2; shift 2; mount -t tmpfs -o \"$options\" agent-vault-test-disk \"$dir\" && exec \"$@\"";
    private const string FillFile = "fill";

    private readonly string _root;
    private readonly bool _asRoot = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    public PrivateDataDisk(int megabytes)
    {
        Megabytes = megabytes;
        _root = Directory.CreateTempSubdirectory("agent-vault-disk-").FullName;
        DataDir = Path.Combine(_root, "data");
        Directory.CreateDirectory(DataDir);
    }

    public int Megabytes { get; }

    /// <summary>The mount point: pass it as <see cref="BrokerOptions.DataDir"/>.</summary>
    public string DataDir { get; }

    /// <summary>Pass as <see cref="BrokerOptions.Launcher"/>: mounts the tmpfs in a new mount namespace, then execs the broker.</summary>
    public IReadOnlyList<string> Launcher =>
    [
        "unshare", .. _asRoot ? Array.Empty<string>() : ["--map-root-user"], "--mount", "--propagation", "private",
        "sh", "-c", MountThenExec, "sh", DataDir, string.Create(CultureInfo.InvariantCulture, $"size={Megabytes}m,mode=0700"),
    ];

    /// <summary>Fills the disk to the last byte with one file (dd until "No space left on device"); returns the bytes it took.</summary>
    public async Task<long> FillAsync(BrokerProcess broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var fill = await InNamespaceAsync(broker, "dd", "if=/dev/zero", $"of={Path.Combine(DataDir, FillFile)}", "bs=1M", "status=none");
        if (fill.ExitCode == 0 || !fill.StdErr.Contains("No space left on device", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"filling the broker's data disk did not end with a full disk: {fill}");
        }

        var left = await AvailableBytesAsync(broker);
        if (left != 0)
        {
            throw new InvalidOperationException($"the broker's data disk still has {left} bytes free after filling it");
        }

        var size = await InNamespaceAsync(broker, "stat", "-c", "%s", Path.Combine(DataDir, FillFile));
        return long.Parse(size.StdOut.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Deletes the file <see cref="FillAsync"/> wrote: the space is free again.</summary>
    public async Task FreeAsync(BrokerProcess broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var removed = await InNamespaceAsync(broker, "rm", "-f", Path.Combine(DataDir, FillFile));
        if (removed.ExitCode != 0)
        {
            throw new InvalidOperationException($"freeing the broker's data disk failed: {removed}");
        }
    }

    /// <summary>Free bytes on the broker's data disk, as <c>df</c> reports them.</summary>
    public async Task<long> AvailableBytesAsync(BrokerProcess broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var df = await InNamespaceAsync(broker, "df", "-B1", "--output=avail", DataDir);
        var lines = df.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return df.ExitCode == 0 && lines.Length == 2
            ? long.Parse(lines[1].Trim(), CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"df on the broker's data disk failed: {df}");
    }

    /// <summary>Runs a command in the broker's mount namespace (and user namespace, when not root).</summary>
    public Task<ClientProcess.Result> InNamespaceAsync(BrokerProcess broker, params string[] command)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var pid = broker.ProcessId.ToString(CultureInfo.InvariantCulture);
        return ClientProcess.RunAsync("nsenter", ["-t", pid, .. _asRoot ? Array.Empty<string>() : ["--user", "--preserve-credentials"], "--mount", .. command]);
    }

    /// <summary>Deletes the (empty, once the broker is gone) mount point; dispose after the broker.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort, like the broker's own work folder.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
