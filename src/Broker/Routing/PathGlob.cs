using AgentVault.Broker.Policy;

namespace AgentVault.Broker.Routing;

/// <summary>
/// The compiled path part of a service host pattern, matched against the same segments as rules (<see cref="RequestPath"/>).
/// Segments match literally (ordinal, case-sensitive), <c>*</c> matches one segment, <c>**</c> any number of segments; a
/// pattern without wildcards also matches everything below it (<c>/api</c> matches <c>/api</c> and <c>/api/x/y</c>).
/// </summary>
internal sealed class PathGlob
{
    private readonly SegmentGlob _glob;

    private PathGlob(SegmentGlob glob, int literalLength)
    {
        _glob = glob;
        LiteralLength = literalLength;
    }

    /// <summary>Length of the literal text before the first wildcard; longer means more specific.</summary>
    public int LiteralLength { get; }

    public static PathGlob Create(string glob)
    {
        var star = glob.IndexOf('*', StringComparison.Ordinal);
        return new PathGlob(SegmentGlob.Create(glob, StringComparison.Ordinal, matchBelow: true), star < 0 ? glob.TrimEnd('/').Length : star);
    }

    public bool Matches(RequestPath path) => _glob.Matches(path.Segments);
}
