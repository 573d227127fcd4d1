using System.Net;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>
/// Checks one <c>notifications:</c> entry: a resource name, an absolute <c>https</c> URL (plain <c>http</c> only to a loopback
/// host, where nothing crosses a network), a known format, known events, and a secret that is a reference to a configured store.
/// Messages never repeat the URL's path or query, which may themselves be secret (a Slack webhook URL is).
/// </summary>
internal static class NotificationValidator
{
    public static void Validate(NotificationDefinition notification, string path, Func<string, bool> storeExists, List<ValidationError> errors)
    {
        if (!NameRules.IsName(notification.Name))
        {
            errors.Add(new(path + ".name", $"notification name must be {NameRules.NameHint}"));
        }

        if (UrlProblem(notification.Url) is { } problem)
        {
            errors.Add(new(path + ".url", problem));
        }

        if (notification.Format is { } format && !NotificationFormats.All.Contains(format, StringComparer.Ordinal))
        {
            errors.Add(new(path + ".format", $"format must be one of {string.Join(", ", NotificationFormats.All)}"));
        }

        ValidateEvents(notification.Events, path + ".events", errors);

        if (!ReferenceSyntax.TryGetStore(notification.Secret, out var store, out var error))
        {
            errors.Add(new(path + ".secret", error));
        }
        else if (!storeExists(store))
        {
            errors.Add(new(path + ".secret", $"store '{store}' is not configured"));
        }
    }

    /// <summary>Why <paramref name="url"/> cannot receive notifications, or null when it can.</summary>
    public static string? UrlProblem(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
        {
            return "url must be an absolute https:// URL";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "url must not carry a user name or password (the request is signed with the secret instead)";
        }

        if (uri.Fragment.Length > 0)
        {
            return "url must not have a #fragment";
        }

        if (uri.Scheme == "http" && !IsLoopback(uri))
        {
            return "url must use https:// (http:// only to a loopback host: localhost, 127.0.0.0/8 or [::1])";
        }

        return null;
    }

    private static bool IsLoopback(Uri uri) =>
        string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.IdnHost, out var address) && IPAddress.IsLoopback(address));

    private static void ValidateEvents(List<string>? events, string path, List<ValidationError> errors)
    {
        if (events is null || events.Count == 0)
        {
            errors.Add(new(path, $"events must list at least one of {string.Join(", ", NotificationEventNames.Subscribable)}"));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var name = events[i];
            if (!NotificationEventNames.Subscribable.Contains(name, StringComparer.Ordinal))
            {
                errors.Add(new($"{path}[{i}]", $"unknown event; use {string.Join(", ", NotificationEventNames.Subscribable)}"));
            }
            else if (!seen.Add(name))
            {
                errors.Add(new($"{path}[{i}]", $"event '{name}' is listed twice"));
            }
        }
    }
}
