using System.Net;
using System.Text.Json.Nodes;

namespace AgentVault.Plugins.HashiCorpVault;

/// <summary>Status and parsed JSON body of one Vault API call.</summary>
internal sealed record VaultResponse(HttpStatusCode Status, JsonObject? Body)
{
    private const int MaxErrorLength = 200;

    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The <c>errors</c> array Vault returns on failure, joined and shortened; empty when none.</summary>
    public string ErrorText
    {
        get
        {
            if (Body?["errors"] is not JsonArray errors || errors.Count == 0)
            {
                return string.Empty;
            }

            var text = string.Join("; ", errors.Select(e => e?.ToString() ?? string.Empty));
            return text.Length > MaxErrorLength ? text[..MaxErrorLength] + "…" : text;
        }
    }
}
