using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>What an edit of the configuration decided: refuse with a problem, leave the document as is, or save a new one.</summary>
internal sealed class ConfigEdit
{
    private ConfigEdit(ConfigDocument? document, IResult? result, Func<CancellationToken, Task<IResult>>? then, bool refused)
    {
        Document = document;
        Result = result;
        Then = then;
        Refused = refused;
    }

    public ConfigDocument? Document { get; }

    public IResult? Result { get; }

    /// <summary>Runs after a successful save, still under the write lock (e.g. insert tokens); its result is the answer.</summary>
    public Func<CancellationToken, Task<IResult>>? Then { get; }

    public bool Refused { get; }

    /// <summary>Rewrites validation paths of the whole document so errors point into the request body (e.g. <c>vaults[2].services[0]</c> → <c>services[1]</c>).</summary>
    public Func<string, string>? MapErrorPath { get; private set; }

    /// <summary>
    /// When the save loses a race with another writer, answer 409 instead of running the edit again on the configuration that
    /// writer left (see <see cref="ConfigWriter"/>).
    /// </summary>
    public bool RefusedIfRaced { get; private set; }

    /// <summary>Validate and build the new document like a write, then answer without saving it (<c>POST /v1/apply?dry_run=true</c>).</summary>
    public bool DryRun { get; private set; }

    /// <summary>
    /// Sets <see cref="RefusedIfRaced"/>: for an edit whose meaning depends on everything in the configuration (apply with prune
    /// deletes whatever its file does not name), so it never deletes a change it was not planned against.
    /// </summary>
    public ConfigEdit RefuseIfRaced()
    {
        RefusedIfRaced = true;
        return this;
    }

    /// <summary>Sets <see cref="DryRun"/>: the edit is checked exactly as it would be saved, and nothing is saved.</summary>
    public ConfigEdit WithoutSaving()
    {
        DryRun = true;
        return this;
    }

    /// <summary>Sets <see cref="MapErrorPath"/> and returns this edit.</summary>
    public ConfigEdit WithErrorPaths(Func<string, string> map)
    {
        MapErrorPath = map;
        return this;
    }

    /// <summary>A path mapper that removes <paramref name="prefix"/> where present.</summary>
    public static Func<string, string> StripPrefix(string prefix) =>
        path => path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path;

    public static ConfigEdit Refuse(IResult problem) => new(null, problem, null, refused: true);

    public static ConfigEdit Unchanged(IResult result) => new(null, result, null, refused: false);

    public static ConfigEdit Save(ConfigDocument document, IResult result) => new(document, result, null, refused: false);

    public static ConfigEdit Save(ConfigDocument document, Func<CancellationToken, Task<IResult>> then) => new(document, null, then, refused: false);
}
