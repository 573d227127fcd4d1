using System.CommandLine;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Cli;

/// <summary>Options shared by many commands (each command gets its own instance).</summary>
internal static class CliOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of human-readable text" };

    public static Option<string> Vault(bool required = true) => new("--vault")
    {
        Description = "Vault name",
        Required = required,
    };

    /// <summary>A duration option (<c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>7d</c>, <c>0</c>), validated at parse time so a typo is a usage error.</summary>
    public static Option<string> Duration(string name, string description)
    {
        var option = new Option<string>(name) { Description = description, HelpName = "DURATION" };
        option.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>();
            if (text is not null && !Durations.TryParse(text, out _))
            {
                result.AddError($"{name}: '{text}' is not a duration (use 500ms, 30s, 5m, 1h, 7d or 0)");
            }
        });
        return option;
    }
}
