using System.Text.RegularExpressions;

namespace AgentVault.Plugins.AwsSigV4;

/// <summary>Derives the signing service and region from an AWS host name (<c>&lt;service&gt;.&lt;region&gt;.amazonaws.com</c>).</summary>
internal static partial class AwsEndpoint
{
    public const string GlobalRegion = "us-east-1";

    /// <summary>Returns (service, region) for an AWS host, or null for a host that is not under amazonaws.com(.cn).</summary>
    public static (string Service, string Region)? Derive(string host)
    {
        host = host.TrimEnd('.').ToLowerInvariant();
        string rest;
        if (host.EndsWith(".amazonaws.com", StringComparison.Ordinal))
        {
            rest = host[..^".amazonaws.com".Length];
        }
        else if (host.EndsWith(".amazonaws.com.cn", StringComparison.Ordinal))
        {
            rest = host[..^".amazonaws.com.cn".Length];
        }
        else
        {
            return null;
        }

        var labels = rest.Split('.');
        for (var i = labels.Length - 1; i >= 1; i--)
        {
            if (RegionPattern().IsMatch(labels[i]))
            {
                // bucket.s3.us-west-2 / s3.dualstack.us-west-2 / api-id.execute-api.eu-west-1
                var service = labels[i - 1] == "dualstack" && i >= 2 ? labels[i - 2] : labels[i - 1];
                return (SigningName(service), labels[i]);
            }
        }

        var last = labels[^1];
        // Legacy S3 endpoints: s3-us-west-2.amazonaws.com, s3-external-1.amazonaws.com.
        if (last.StartsWith("s3-", StringComparison.Ordinal))
        {
            var region = last[3..];
            return ("s3", RegionPattern().IsMatch(region) ? region : GlobalRegion);
        }

        // Global endpoints (iam, sts, s3 and bucket.s3) sign for us-east-1.
        return (SigningName(last), GlobalRegion);
    }

    private static string SigningName(string endpointPrefix) => endpointPrefix switch
    {
        _ when endpointPrefix.StartsWith("s3", StringComparison.Ordinal) => "s3",
        "email" => "ses",
        _ => endpointPrefix,
    };

    [GeneratedRegex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
