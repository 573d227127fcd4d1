namespace AgentVault.Abstractions.Plugins;

/// <summary>Collects every problem found in a settings object, each with the setting path it concerns.</summary>
public sealed class SettingsValidation
{
    private readonly List<SettingsProblem> _problems = [];

    /// <summary>The problems found so far.</summary>
    public IReadOnlyList<SettingsProblem> Problems => _problems;

    /// <summary>True when no problem was reported.</summary>
    public bool IsValid => _problems.Count == 0;

    /// <summary>Reports a problem with the setting at <paramref name="path"/> (dotted, e.g. <c>auth.method</c>).</summary>
    public void Add(string path, string message) => _problems.Add(new SettingsProblem(path, message));
}

/// <summary>One problem in a settings object; the message never contains a secret value.</summary>
/// <param name="Path">Dotted path of the setting (e.g. <c>auth.role_id</c>).</param>
/// <param name="Message">What is wrong, readable by an operator.</param>
public sealed record SettingsProblem(string Path, string Message);
