using System.Globalization;
using Xunit;

namespace AgentVault.Testing.Upstream;

/// <summary>
/// A curl answer taken apart: run with <c>-D - --suppress-connect-headers -w '\n%{http_code}'</c>, curl prints the final
/// response head, the body, and the status on the last line. (<see cref="ClientProcess"/> reads lines, so CRLF arrives as LF.)
/// </summary>
public sealed record CurlResponse(int Status, string Head, string Body)
{
    public static readonly string[] Arguments = ["-D", "-", "--suppress-connect-headers", "-w", "\n%{http_code}"];

    public static CurlResponse Parse(ClientProcess.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        var output = result.StdOut.TrimEnd('\n');
        var last = output.LastIndexOf('\n');
        var status = int.Parse(output[(last + 1)..], CultureInfo.InvariantCulture);
        var message = output[..Math.Max(last, 0)];
        var split = message.IndexOf("\n\n", StringComparison.Ordinal);
        return split < 0 ? new CurlResponse(status, message, string.Empty) : new CurlResponse(status, message[..split], message[(split + 2)..]);
    }

    /// <summary>The value of response header <paramref name="name"/> (first occurrence, case-insensitive), or null.</summary>
    public string? Header(string name)
    {
        foreach (var line in Head.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    public override string ToString() => $"{Status}\n{Head}\n\n{Body}";
}
