using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>
/// Merges an apply file into the current configuration. Items the file names are created or replaced; with prune, items
/// it no longer names are deleted. The file's items come first and in the file's order, so validation paths of the merged
/// document (<c>vaults[0].services[1].host</c>) point into the file, and the file's service order wins for routing.
/// </summary>
internal static class ApplyPlanner
{
    public static ApplyPlan Plan(ConfigDocument current, ConfigDocument file, bool prune)
    {
        var report = new Report();
        var stores = MergeList(current.Stores, file.Stores, s => s.Name, s => $"store/{s.Name}", prune, report);
        var agents = MergeList(current.Agents, file.Agents, a => a.Name, a => $"agent/{a.Name}", prune, report);
        var notifications = MergeList(current.Notifications, file.Notifications, n => n.Name, n => $"notification/{n.Name}", prune, report);
        var vaults = new List<VaultDefinition>();
        foreach (var incoming in file.Vaults ?? [])
        {
            var existing = current.Vaults?.Find(v => v.Name == incoming.Name);
            vaults.Add(existing is null ? Created(incoming, report) : MergeVault(existing, incoming, prune, report));
        }

        foreach (var existing in current.Vaults ?? [])
        {
            if (file.Vaults?.Exists(v => v.Name == existing.Name) == true)
            {
                continue;
            }

            if (prune)
            {
                report.Deleted.Add($"vault/{existing.Name}");
            }
            else
            {
                vaults.Add(existing);
            }
        }

        var access = MergeAccess(current.Access, file.Access, prune, report);
        var document = new ConfigDocument
        {
            Stores = stores, Vaults = vaults, Agents = agents, Notifications = notifications.Count == 0 ? null : notifications, Access = access,
        };
        var createdAgents = (file.Agents ?? []).Where(a => current.Agents?.Exists(c => c.Name == a.Name) != true).Select(a => a.Name).ToList();
        var deletedAgents = prune ? (current.Agents ?? []).Where(a => file.Agents?.Exists(f => f.Name == a.Name) != true).Select(a => a.Name).ToList() : [];
        var changed = report.Created.Count + report.Updated.Count + report.Deleted.Count > 0 || !ConfigDocuments.SameAs(Normal(current), document);
        return new ApplyPlan(document, report.Created, report.Updated, report.Deleted, createdAgents, deletedAgents, changed);
    }

    // Notifications and access stay null when there are none, so a configuration without them exports as before.
    private static ConfigDocument Normal(ConfigDocument d) => new()
    {
        Stores = d.Stores ?? [], Vaults = d.Vaults ?? [], Agents = d.Agents ?? [], Notifications = d.Notifications is { Count: > 0 } n ? n : null,
        Access = d.Access is { Count: > 0 } a ? a : null,
    };

    /// <summary>
    /// <c>access:</c> has no names to merge by: a file that has it replaces the whole list; a file without it keeps the current
    /// rules, unless pruning (then the file's absence of rules is what is wanted).
    /// </summary>
    private static List<AccessRule>? MergeAccess(List<AccessRule>? current, List<AccessRule>? incoming, bool prune, Report report)
    {
        var result = incoming ?? (prune ? null : current);
        result = result is { Count: > 0 } ? result : null;
        if (!ConfigDocuments.SameAs(current is { Count: > 0 } ? current : null, result))
        {
            (result is null ? report.Deleted : current is { Count: > 0 } ? report.Updated : report.Created).Add("access");
        }

        return result;
    }

    private static VaultDefinition Created(VaultDefinition vault, Report report)
    {
        report.Created.Add($"vault/{vault.Name}");
        report.Created.AddRange((vault.Credentials ?? []).Keys.Select(k => $"credential/{vault.Name}/{k}"));
        report.Created.AddRange((vault.Services ?? []).Select(s => $"service/{vault.Name}/{s.Name}"));
        return vault;
    }

    private static VaultDefinition MergeVault(VaultDefinition existing, VaultDefinition incoming, bool prune, Report report)
    {
        if (existing.Unmatched != incoming.Unmatched)
        {
            report.Updated.Add($"vault/{incoming.Name}");
        }

        Dictionary<string, CredentialDefinition>? credentials = null;
        if (incoming.Credentials is not null || existing.Credentials is not null)
        {
            credentials = new Dictionary<string, CredentialDefinition>(StringComparer.Ordinal);
            foreach (var (key, credential) in incoming.Credentials ?? [])
            {
                var label = $"credential/{incoming.Name}/{key}";
                if (existing.Credentials?.TryGetValue(key, out var old) != true)
                {
                    report.Created.Add(label);
                }
                else if (!ConfigDocuments.SameAs(old, credential))
                {
                    report.Updated.Add(label);
                }

                credentials[key] = credential;
            }

            foreach (var (key, credential) in existing.Credentials ?? [])
            {
                if (incoming.Credentials?.ContainsKey(key) == true)
                {
                    continue;
                }

                if (prune)
                {
                    report.Deleted.Add($"credential/{incoming.Name}/{key}");
                }
                else
                {
                    credentials[key] = credential;
                }
            }
        }

        var services = incoming.Services is null && existing.Services is null
            ? null
            : MergeList(existing.Services, incoming.Services, s => s.Name, s => $"service/{incoming.Name}/{s.Name}", prune, report);
        return incoming with { Credentials = credentials, Services = services };
    }

    private static List<T> MergeList<T>(List<T>? current, List<T>? incoming, Func<T, string> name, Func<T, string> label, bool prune, Report report)
    {
        var result = new List<T>();
        foreach (var item in incoming ?? [])
        {
            var index = ConfigDocuments.IndexOf(current, name, name(item));
            if (index < 0)
            {
                report.Created.Add(label(item));
            }
            else if (!ConfigDocuments.SameAs(current![index], item))
            {
                report.Updated.Add(label(item));
            }

            result.Add(item);
        }

        foreach (var item in current ?? [])
        {
            if (ConfigDocuments.IndexOf(incoming, name, name(item)) >= 0)
            {
                continue;
            }

            if (prune)
            {
                report.Deleted.Add(label(item));
            }
            else
            {
                result.Add(item);
            }
        }

        return result;
    }

    private sealed class Report
    {
        public List<string> Created { get; } = [];

        public List<string> Updated { get; } = [];

        public List<string> Deleted { get; } = [];
    }
}
