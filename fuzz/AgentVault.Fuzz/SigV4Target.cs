using AgentVault.Plugins.SigV4;

namespace AgentVault.Fuzz;

/// <summary>
/// The SigV4 canonicaliser over what an agent controls: the first line is the request target (path and query), each further
/// line a header <c>name: value</c>. A target that is not a valid URI is the HTTP stack's refusal, not the canonicaliser's.
/// </summary>
internal static class SigV4Target
{
    public static void Run(byte[] data)
    {
        var lines = FuzzInput.Lines(data);
        var target = lines[0];
        SigV4Canonicalizer.CanonicalQuery(target);
        SigV4Canonicalizer.CanonicalPath(target, doubleEncode: true);
        SigV4Canonicalizer.CanonicalPath(target, doubleEncode: false);
        if (!Uri.TryCreate("https://bucket.s3.us-east-1.amazonaws.com" + (target.StartsWith('/') ? target : "/" + target), UriKind.Absolute, out var uri))
        {
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                request.Headers.TryAddWithoutValidation(line[..colon], line[(colon + 1)..]);
            }
        }

        foreach (var doubleEncode in new[] { true, false })
        {
            var (canonical, signed) = SigV4Canonicalizer.Build(request, SigV4Signer.UnsignedPayload, doubleEncode);
            FuzzInvariantException.Check(signed.Split(';').Contains("host"), "host is not signed");
            FuzzInvariantException.Check(canonical.EndsWith(SigV4Signer.UnsignedPayload, StringComparison.Ordinal), "canonical request does not end in the payload hash");
        }
    }
}
