using System.Text.RegularExpressions;

namespace AgentVault.Broker.Tests.Architecture;

/// <summary>
/// The broker's top-level folders (one namespace each) depend on each other without a cycle: no two folders know each other,
/// directly or through others (issue 11). Read from the sources: any mention of <c>AgentVault.Broker.X</c> in a folder's
/// files (a using or a qualified name) is a dependency on folder X.
/// </summary>
public sealed partial class FeatureFolderTests
{
    [Fact]
    public void FeatureFolders_DependOnEachOtherWithoutACycle()
    {
        var graph = DependencyGraph();

        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).Select(c => string.Join(" ↔ ", c.Order(StringComparer.Ordinal))).ToList();

        Assert.True(graph.Count > 10, "the source folders were not found");
        Assert.Empty(cycles);
    }

    [Fact]
    public void CycleDetection_FindsAMutualDependency()
    {
        // The check itself: a graph with a mutual pair must be reported.
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };

        var cycle = Assert.Single(StronglyConnected(graph), c => c.Count > 1);
        Assert.Equal(["A", "B", "C"], cycle.Order(StringComparer.Ordinal));
    }

    private static Dictionary<string, HashSet<string>> DependencyGraph()
    {
        var broker = Path.Combine(RepositoryRoot().FullName, "src", "Broker");
        var folders = Directory.GetDirectories(broker).Select(Path.GetFileName).Where(n => n is not ("bin" or "obj")).Select(n => n!).ToHashSet(StringComparer.Ordinal);
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var uses = graph[folder] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(broker, folder), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match match in BrokerNamespace().Matches(File.ReadAllText(file)))
                {
                    var target = match.Groups[1].Value;
                    if (target != folder && folders.Contains(target))
                    {
                        uses.Add(target);
                    }
                }
            }
        }

        return graph;
    }

    // Tarjan's strongly connected components: every component of more than one folder is a cycle.
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (!index.TryGetValue(next, out var seen))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], seen);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        foreach (var node in graph.Keys)
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }

    private static DirectoryInfo RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "AgentVault.sln")))
        {
            root = root.Parent;
        }

        return root ?? throw new InvalidOperationException("AgentVault.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"AgentVault\.Broker\.([A-Z][A-Za-z0-9]*)")]
    private static partial Regex BrokerNamespace();
}
