using System.Security.Cryptography;
using AgentVault.Broker.Operations;

namespace AgentVault.Broker.Tests.Operations;

public sealed class SealedChunksTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] HeaderHash = SHA256.HashData("header"u8);

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(SealedChunks.ChunkSize)]
    [InlineData((3 * SealedChunks.ChunkSize) + 17)]
    public void WhatIsSealed_OpensToTheSameBytes(int size)
    {
        var plain = RandomNumberGenerator.GetBytes(size);

        Assert.Equal(plain, Open(Seal(plain)));
    }

    [Fact]
    public void AChangedByte_IsRefused()
    {
        var sealedBytes = Seal(RandomNumberGenerator.GetBytes(1000));
        sealedBytes[20] ^= 0x80;

        var error = Assert.Throws<OperationsException>(() => Open(sealedBytes));
        Assert.Contains("damaged or was modified", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherHeader_IsRefused()
    {
        var sealedBytes = Seal(RandomNumberGenerator.GetBytes(1000));

        Assert.Throws<OperationsException>(() => Open(sealedBytes, SHA256.HashData("another header"u8)));
    }

    [Fact]
    public void DroppingTheFinalChunk_IsRefusedAsTruncated()
    {
        var sealedBytes = Seal(RandomNumberGenerator.GetBytes(SealedChunks.ChunkSize + 10));
        var firstChunk = 5 + SealedChunks.ChunkSize + SealedChunks.TagSize;

        var error = Assert.Throws<OperationsException>(() => Open(sealedBytes[..firstChunk]));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SwappingChunks_IsRefused()
    {
        var sealedBytes = Seal(RandomNumberGenerator.GetBytes((2 * SealedChunks.ChunkSize) + 10));
        var chunk = 5 + SealedChunks.ChunkSize + SealedChunks.TagSize;
        var swapped = sealedBytes[chunk..(2 * chunk)].Concat(sealedBytes[..chunk]).Concat(sealedBytes[(2 * chunk)..]).ToArray();

        Assert.Throws<OperationsException>(() => Open(swapped));
    }

    [Fact]
    public void DataAfterTheFinalChunk_IsRefused()
    {
        var sealedBytes = Seal(RandomNumberGenerator.GetBytes(100));

        Assert.Throws<OperationsException>(() => Open([.. sealedBytes, 0]));
    }

    private static byte[] Seal(byte[] plain)
    {
        using var output = new MemoryStream();
        using (var sealing = new SealingStream(output, Key, HeaderHash))
        {
            sealing.Write(plain);
            sealing.Complete();
        }

        return output.ToArray();
    }

    private static byte[] Open(byte[] sealedBytes, byte[]? headerHash = null)
    {
        using var input = new MemoryStream(sealedBytes);
        using var opening = new OpeningStream(input, Key, headerHash ?? HeaderHash);
        using var plain = new MemoryStream();
        opening.CopyTo(plain);
        return plain.ToArray();
    }
}
