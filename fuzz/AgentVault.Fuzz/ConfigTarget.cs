using Microsoft.AspNetCore.Http;
using AgentVault.Broker.Documents;
using AgentVault.Broker.Management;
using AgentVault.Broker.Model;

namespace AgentVault.Fuzz;

/// <summary>
/// The configuration reader as <c>apply</c> runs it: the CLI turns the YAML file into JSON (<see cref="YamlToJson"/>,
/// refusing with <see cref="DocumentFormatException"/>), the API reads the JSON body into a <see cref="ConfigDocument"/> with <see cref="JsonBody"/> (refusing
/// with a 400 problem) and validates it. The raw input is also tried as an API body, as a client may send any JSON.
/// </summary>
internal static class ConfigTarget
{
    private static readonly ConfigValidator Validator = new(new BuiltInCatalog());

    public static void Run(byte[] data)
    {
        ReadAndValidate(data);
        string json;
        try
        {
            json = YamlToJson.Parse(FuzzInput.Text(data), "fuzz.yaml").ToJsonString();
        }
        catch (DocumentFormatException)
        {
            return;
        }

        ReadAndValidate(System.Text.Encoding.UTF8.GetBytes(json));
    }

    // The API's own reader (POST /v1/apply): a refusal is a problem result, anything thrown would be a 500.
    private static void ReadAndValidate(byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        var (document, problem) = JsonBody.ReadAsync<ConfigDocument>(context.Request, CancellationToken.None).GetAwaiter().GetResult();
        if (document is not null)
        {
            Validator.Validate(document);
        }
        else
        {
            FuzzInvariantException.Check(problem is not null, "no document and no problem");
        }
    }
}
