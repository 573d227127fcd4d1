using System.Security.Cryptography;
using System.Text;
using AgentVault.Broker.Security;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Security;

public sealed class MasterKeyUnlockerTests
{
    // Cheap Argon2id parameters keep the tests fast; the production default is exercised once below.
    private static readonly Argon2idParameters Cheap = new(1024, 1, 1);

    private static async Task<(DataKeyRing Ring, MasterKeyOptions Options)> UnlockAsync(TestDatabase db, string? password, bool dev = false, Argon2idParameters? parameters = null)
    {
        var options = new MasterKeyOptions { DataDir = db.Directory, Dev = dev, Password = password, NewKeyParameters = parameters ?? Cheap };
        var ring = new DataKeyRing();
        await new MasterKeyUnlocker(options, new SqliteBlobRepository(db.Database), ring, NullLogger<MasterKeyUnlocker>.Instance).UnlockAsync(CancellationToken.None);
        return (ring, options);
    }

    [Fact]
    public async Task FirstStartWithPassword_CreatesAKeyTheSamePasswordUnlocksLater()
    {
        using var db = await TestDatabase.CreateAsync();
        var (first, options) = await UnlockAsync(db, "correct horse");
        var sealedBytes = new AtRestProtector(first).Protect("value"u8, "aad");

        var (second, _) = await UnlockAsync(db, "correct horse");

        Assert.Equal("value", Encoding.UTF8.GetString(new AtRestProtector(second).Unprotect(sealedBytes, "aad")));
        Assert.Null(options.Password);
        Assert.False(File.Exists(Path.Combine(db.Directory, MasterKeyOptions.KeyFileName)));
    }

    [Fact]
    public async Task StoredRecord_HoldsSaltAndParametersButNeitherKeyNorPassword()
    {
        using var db = await TestDatabase.CreateAsync();
        var (ring, _) = await UnlockAsync(db, "pw-marker-123");

        var stored = await new SqliteBlobRepository(db.Database).GetAsync(WrappedDataKey.BlobName, CancellationToken.None);
        var record = WrappedDataKey.FromBytes(stored!);

        Assert.Equal(WrappedDataKey.PasswordKek, record.Kek);
        Assert.Equal(16, record.Salt!.Length);
        Assert.Equal(Cheap, record.Parameters);
        Assert.DoesNotContain("pw-marker-123", Encoding.UTF8.GetString(stored!), StringComparison.Ordinal);
        Assert.False(stored!.AsSpan().IndexOf(ring.Key) >= 0);
    }

    [Fact]
    public async Task WrongPassword_FailsClearlyAndOverwritesNothing()
    {
        using var db = await TestDatabase.CreateAsync();
        await UnlockAsync(db, "right");
        var blobs = new SqliteBlobRepository(db.Database);
        var before = await blobs.GetAsync(WrappedDataKey.BlobName, CancellationToken.None);

        var error = await Assert.ThrowsAsync<BrokerStartupException>(() => UnlockAsync(db, "wrong"));

        Assert.Equal("the master password does not unlock this data directory", error.Message);
        Assert.Equal(before, await blobs.GetAsync(WrappedDataKey.BlobName, CancellationToken.None));
    }

    [Fact]
    public async Task NoPasswordWithoutDev_FailsOnFirstStartAndStoresNothing()
    {
        using var db = await TestDatabase.CreateAsync();

        var error = await Assert.ThrowsAsync<BrokerStartupException>(() => UnlockAsync(db, password: null));

        Assert.Contains("AGENT_VAULT_MASTER_PASSWORD", error.Message, StringComparison.Ordinal);
        Assert.Null(await new SqliteBlobRepository(db.Database).GetAsync(WrappedDataKey.BlobName, CancellationToken.None));
    }

    [Fact]
    public async Task PasswordProtectedDirectory_WithoutPassword_FailsEvenInDevMode()
    {
        using var db = await TestDatabase.CreateAsync();
        await UnlockAsync(db, "pw");

        var error = await Assert.ThrowsAsync<BrokerStartupException>(() => UnlockAsync(db, password: null, dev: true));

        Assert.Contains("protected by a master password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevWithoutPassword_CreatesAnOwnerOnlyKeyFileAndReusesIt()
    {
        using var db = await TestDatabase.CreateAsync();
        var (first, options) = await UnlockAsync(db, password: null, dev: true);
        var sealedBytes = new AtRestProtector(first).Protect("value"u8, "aad");

        var (second, _) = await UnlockAsync(db, password: null, dev: true);

        Assert.Equal(32, new FileInfo(options.KeyFilePath).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, FileModes.Of(options.KeyFilePath));
        Assert.Equal("value", Encoding.UTF8.GetString(new AtRestProtector(second).Unprotect(sealedBytes, "aad")));
    }

    [Fact]
    public async Task DevKeyFileMissingLater_FailsClearly()
    {
        using var db = await TestDatabase.CreateAsync();
        var (_, options) = await UnlockAsync(db, password: null, dev: true);
        File.Delete(options.KeyFilePath);

        var error = await Assert.ThrowsAsync<BrokerStartupException>(() => UnlockAsync(db, password: null, dev: true));

        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TamperedParameters_AreRefusedBeforeDerivingAKey()
    {
        using var db = await TestDatabase.CreateAsync();
        await UnlockAsync(db, "pw");
        var blobs = new SqliteBlobRepository(db.Database);
        var record = WrappedDataKey.FromBytes((await blobs.GetAsync(WrappedDataKey.BlobName, CancellationToken.None))!);
        await blobs.PutAsync(WrappedDataKey.BlobName, (record with { MemoryKib = int.MaxValue }).ToBytes(), CancellationToken.None);

        var error = await Assert.ThrowsAsync<BrokerStartupException>(() => UnlockAsync(db, "pw"));

        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Argon2id_DependsOnPasswordAndSalt()
    {
        var salt = RandomNumberGenerator.GetBytes(16);

        var a = Argon2idKdf.DeriveKey("pw", salt, Cheap);
        var again = Argon2idKdf.DeriveKey("pw", salt, Cheap);
        var otherPassword = Argon2idKdf.DeriveKey("pw2", salt, Cheap);
        var otherSalt = Argon2idKdf.DeriveKey("pw", RandomNumberGenerator.GetBytes(16), Cheap);

        Assert.Equal(a, again);
        Assert.NotEqual(a, otherPassword);
        Assert.NotEqual(a, otherSalt);
    }

    [Fact]
    public void Argon2id_MatchesAReferenceVector()
    {
        // Argon2id v1.3, m=65536 KiB, t=2, p=1, password "password", salt "somesalt", 32-byte tag: the reference
        // implementation's test vector ($argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc).
        var key = Argon2idKdf.DeriveKey("password", "somesalt"u8.ToArray(), new Argon2idParameters(65536, 2, 1));

        Assert.Equal("09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7", Convert.ToHexStringLower(key));
    }

    [Fact]
    public void DefaultParameters_AreReasonable()
    {
        Assert.True(Argon2idParameters.Default.IsReasonable);
        Assert.True(Argon2idParameters.Default.MemoryKiB >= 19 * 1024);
    }
}
