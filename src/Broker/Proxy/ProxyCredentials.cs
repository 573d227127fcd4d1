using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// Parses a <c>Proxy-Authorization</c> value: <c>Basic base64(token:vault)</c>, <c>Basic base64(token)</c> or <c>Bearer token</c>.
/// Never logs or echoes what it parses.
/// </summary>
internal static class ProxyCredentials
{
    private const int MaxLength = 4096;

    public static bool TryParse(string? header, out string token, out string? vault)
    {
        token = string.Empty;
        vault = null;
        if (string.IsNullOrEmpty(header) || header.Length > MaxLength)
        {
            return false;
        }

        var value = header.AsSpan().Trim();
        var space = value.IndexOf(' ');
        if (space <= 0)
        {
            return false;
        }

        var scheme = value[..space];
        var parameter = value[(space + 1)..].Trim();
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            token = parameter.ToString();
            return token.Length > 0;
        }

        if (!scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rented = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(parameter.Length));
        try
        {
            if (!Convert.TryFromBase64Chars(parameter, rented, out var written))
            {
                return false;
            }

            string decoded;
            try
            {
                decoded = new UTF8Encoding(false, true).GetString(rented, 0, written);
            }
            catch (DecoderFallbackException)
            {
                return false;
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            token = colon < 0 ? decoded : decoded[..colon];
            vault = colon < 0 || colon == decoded.Length - 1 ? null : decoded[(colon + 1)..];
            return token.Length > 0;
        }
        finally
        {
            Array.Clear(rented);
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
