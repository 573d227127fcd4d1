using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.Infisical;

/// <summary>
/// A parsed reference path: <c>/folder/SECRET_NAME</c> (leading slash optional) is a static secret;
/// <c>dynamic/folder/NAME</c> is a lease on the dynamic secret <c>NAME</c> in <c>/folder</c>.
/// </summary>
internal sealed record InfisicalReference(bool IsDynamic, string Folder, string Name)
{
    public const string DynamicPrefix = "dynamic/";

    public static InfisicalReference Parse(string path, string store)
    {
        var dynamic = path.StartsWith(DynamicPrefix, StringComparison.Ordinal);
        var rest = (dynamic ? path[DynamicPrefix.Length..] : path).Trim('/');
        var segments = rest.Split('/');
        if (rest.Length == 0 || segments.Any(s => s.Length == 0 || s is "." or ".."))
        {
            throw new SecretStoreException(
                SecretErrorCategory.InvalidConfiguration,
                $"Infisical store '{store}': '{path}' is not a secret path (use /folder/SECRET_NAME, or dynamic/folder/NAME for a dynamic secret)");
        }

        var folder = "/" + string.Join('/', segments[..^1]);
        return new InfisicalReference(dynamic, folder, segments[^1]);
    }

    /// <summary>The path as users write it, for messages.</summary>
    public override string ToString() => (IsDynamic ? DynamicPrefix.TrimEnd('/') : string.Empty) + (Folder == "/" ? "/" : Folder + "/") + Name;
}
