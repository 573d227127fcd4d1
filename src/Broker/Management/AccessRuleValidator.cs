using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>
/// Checks one <c>access:</c> entry (SPEC §14): exactly one of <c>email</c> or <c>group</c>; <c>role: owner</c> without a vault,
/// or <c>admin</c>, <c>editor</c> or <c>viewer</c> with one. A vault that does not exist yet is allowed: its admin may create it.
/// </summary>
internal static class AccessRuleValidator
{
    private const int MaxLength = 256;

    public static void Validate(AccessRule rule, string path, List<ValidationError> errors)
    {
        var email = rule.Email?.Trim();
        var group = rule.Group?.Trim();
        if ((email is null) == (group is null))
        {
            errors.Add(new(path, "give exactly one of email or group"));
        }
        else if (email is not null && (email.Length > MaxLength || email.IndexOf('@', StringComparison.Ordinal) is < 1 || email.EndsWith('@') || email.Any(char.IsWhiteSpace)))
        {
            errors.Add(new(path + ".email", "email must be an address such as alice@example.com"));
        }
        else if (group is not null && (group.Length is 0 or > MaxLength || group.Any(char.IsControl)))
        {
            errors.Add(new(path + ".group", $"group must be the name of an ID-token group (1 to {MaxLength} characters)"));
        }

        switch (rule.Role)
        {
            case AccessRule.Owner when rule.Vault is not null:
                errors.Add(new(path + ".vault", "the owner role is for every vault: remove vault, or use admin, editor or viewer"));
                break;
            case AccessRule.Owner:
                break;
            case AccessRule.Admin or AccessRule.Editor or AccessRule.Viewer when rule.Vault is null:
                errors.Add(new(path + ".vault", $"role {rule.Role} is per vault: name the vault"));
                break;
            case AccessRule.Admin or AccessRule.Editor or AccessRule.Viewer when !NameRules.IsName(rule.Vault):
                errors.Add(new(path + ".vault", $"vault must be {NameRules.NameHint}"));
                break;
            case AccessRule.Admin or AccessRule.Editor or AccessRule.Viewer:
                break;
            default:
                errors.Add(new(path + ".role", "role must be owner, admin, editor or viewer"));
                break;
        }
    }
}
