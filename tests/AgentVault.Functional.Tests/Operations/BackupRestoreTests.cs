using System.Text;
using AgentVault.Functional.Tests.ControlPlane;
using AgentVault.Testing.Postgres;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Operations;

/// <summary>
/// <c>agent-vault backup</c> while the broker serves traffic, and <c>restore</c> into a fresh SQLite file and a fresh PostgreSQL
/// database: the same tokens work there; the file holds no token, secret or name in clear; a changed byte, a wrong master
/// password and a non-empty target are refused with clear messages.
/// </summary>
public sealed class BackupRestoreTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task BackupWhileServing_RestoresElsewhere_AndTheSameTokensWork()
    {
        var brokers = new OperationsBroker(output, postgres.Server);
        await using var running = await brokers.StartAsync(databaseUrl: null);
        var (token, upstream) = await brokers.SeedAsync(running);
        var admin = running.Process.AdminToken;
        var work = running.Process.WorkDir;
        var file = Path.Combine(work, "snapshot.avbak");

        // Traffic keeps flowing (request-log writes) while the snapshot is taken.
        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            var sent = 0;
            while (!stop.IsCancellationRequested)
            {
                await OperationsBroker.AssertProxiesAsync(running, upstream, token, "/echo/during-backup-" + sent++);
            }

            return sent;
        });
        var made = CliAssert.Json(await OperationsBroker.Operator(running.Process.DataDir).RunAsync("backup", "-o", file, "--json"));
        await stop.CancelAsync();
        Assert.True(await traffic > 0);
        Assert.Equal(file, made.GetProperty("file").GetString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        // Encrypted: no token, secret, admin token, agent or table name in clear.
        var bytes = await File.ReadAllBytesAsync(file);
        foreach (var clear in new[] { token, admin, OperationsBroker.Secret, "claude", "request_log", "api.upstream.test", "BEGIN CERTIFICATE" })
        {
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(clear)) < 0, $"the backup holds '{clear[..Math.Min(6, clear.Length)]}…' in clear");
        }

        // Restore into a fresh SQLite file of a new data directory; a broker there takes the old tokens.
        var fresh = Path.Combine(work, "restored-data");
        var restoredDb = Path.Combine(fresh, "agent-vault.db");
        CliAssert.Ok(await OperationsBroker.Operator(fresh).RunAsync("restore", file));
        Assert.True(File.Exists(restoredDb));
        var refused = CliAssert.Failed(await OperationsBroker.Operator(fresh).RunAsync("restore", file));
        Assert.Contains("is not empty", refused.Stderr, StringComparison.Ordinal);
        CliAssert.Ok(await OperationsBroker.Operator(fresh).RunAsync("restore", file, "--force"));
        await using (var restored = await brokers.StartAsync("sqlite:" + restoredDb, running.UpstreamCa.PemPath))
        {
            Assert.False(restored.Process.PrintedAdminTokenThisRun);
            CliAssert.Ok(await restored.Process.Cli.With("AGENT_VAULT_ADMIN_TOKEN", admin).RunAsync("agent", "list"));
            await OperationsBroker.AssertProxiesAsync(restored, upstream, token, "/echo/restored-sqlite");
        }

        // And into PostgreSQL, from the same file.
        var (pgUrl, _) = await brokers.NewDatabaseAsync();
        CliAssert.Ok(await OperationsBroker.Operator(Path.Combine(work, "unused")).RunAsync("restore", file, "--database-url", pgUrl));
        await using (var onPostgres = await brokers.StartAsync(pgUrl, running.UpstreamCa.PemPath))
        {
            CliAssert.Ok(await onPostgres.Process.Cli.With("AGENT_VAULT_ADMIN_TOKEN", admin).RunAsync("agent", "list"));
            await OperationsBroker.AssertProxiesAsync(onPostgres, upstream, token, "/echo/restored-postgres");

            // A backup of the PostgreSQL database while that broker runs restores into SQLite just as well.
            var fromPostgres = Path.Combine(work, "from-postgres.avbak");
            CliAssert.Ok(await OperationsBroker.Operator(Path.Combine(work, "unused")).RunAsync("backup", "-o", fromPostgres, "--database-url", pgUrl));
            var third = Path.Combine(work, "third-data");
            CliAssert.Ok(await OperationsBroker.Operator(third).RunAsync("restore", fromPostgres));
            await using var onThird = await brokers.StartAsync("sqlite:" + Path.Combine(third, "agent-vault.db"), running.UpstreamCa.PemPath);
            await OperationsBroker.AssertProxiesAsync(onThird, upstream, token, "/echo/restored-from-postgres");
        }
    }

    [Fact]
    public async Task TamperedFileOrWrongPassword_IsRefusedClearly_AndRestoresNothing()
    {
        var brokers = new OperationsBroker(output, postgres.Server);
        await using var running = await brokers.StartAsync(databaseUrl: null);
        await brokers.SeedAsync(running);
        var work = running.Process.WorkDir;
        var file = Path.Combine(work, "snapshot.avbak");
        CliAssert.Ok(await OperationsBroker.Operator(running.Process.DataDir).RunAsync("backup", "-o", file));

        var wrong = CliAssert.Failed(await OperationsBroker.Operator(Path.Combine(work, "wrong"), password: "not the master password").RunAsync("restore", file));
        Assert.Contains("the master password does not unlock this backup", wrong.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not the master password", wrong.Output, StringComparison.Ordinal);
        var none = CliAssert.Failed(await OperationsBroker.Operator(Path.Combine(work, "none"), password: null).RunAsync("restore", file));
        Assert.Contains("AGENT_VAULT_MASTER_PASSWORD", none.Stderr, StringComparison.Ordinal);

        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^40] ^= 0x01;
        var tampered = Path.Combine(work, "tampered.avbak");
        await File.WriteAllBytesAsync(tampered, bytes);
        var target = Path.Combine(work, "tampered-target");
        var changed = CliAssert.Failed(await OperationsBroker.Operator(target).RunAsync("restore", tampered));
        Assert.Contains("damaged or was modified", changed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", changed.Output, StringComparison.Ordinal);

        // Nothing of the tampered file was committed: the target is empty, so the good file restores without --force.
        CliAssert.Ok(await OperationsBroker.Operator(target).RunAsync("restore", file));

        var truncated = Path.Combine(work, "truncated.avbak");
        await File.WriteAllBytesAsync(truncated, bytes[..^30]);
        var cut = CliAssert.Failed(await OperationsBroker.Operator(Path.Combine(work, "truncated-target")).RunAsync("restore", truncated));
        Assert.Contains("truncated", cut.Stderr, StringComparison.Ordinal);
    }
}
