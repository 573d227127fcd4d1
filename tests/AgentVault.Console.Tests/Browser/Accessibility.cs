using System.Text;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace AgentVault.Console.Tests.Browser;

/// <summary>Checks a page with axe-core (Deque.AxeCore.Playwright, which carries its own copy of axe; nothing is fetched).</summary>
public static class Accessibility
{
    /// <summary>The impacts that fail a page; <c>minor</c> and <c>moderate</c> findings are left to review.</summary>
    public static readonly IReadOnlySet<string> FailingImpacts = new HashSet<string>(StringComparer.Ordinal) { "serious", "critical" };

    /// <summary>Runs axe on the page as it is now and fails on any serious or critical violation, listing rule, impact and nodes.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var failing = result.Violations.Where(v => v.Impact is not null && FailingImpacts.Contains(v.Impact)).ToList();
        if (failing.Count == 0)
        {
            return;
        }

        var report = new StringBuilder($"axe found {failing.Count} serious or critical violation(s) on {page.Url}:");
        foreach (var violation in failing)
        {
            report.Append($"\n- {violation.Id} ({violation.Impact}): {violation.Help} [{violation.HelpUrl}]");
            foreach (var node in violation.Nodes)
            {
                report.Append($"\n    {node.Target}: {node.Html}");
                // As axe's own failure summary: any one of the "any" checks fixes it; every "all" and "none" check must.
                foreach (var check in (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []))
                {
                    report.Append("\n      " + check.Message);
                }
            }
        }

        Assert.Fail(report.ToString());
    }
}
