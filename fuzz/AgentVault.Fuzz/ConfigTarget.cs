using System.Text.Json;
using AgentVault.Broker.Cli;
using AgentVault.Broker.Cli.Yaml;
using AgentVault.Broker.Management;
using AgentVault.Broker.Model;

namespace AgentVault.Fuzz;

/// <summary>
/// The configuration reader as <c>apply</c> runs it: the CLI turns the YAML file into JSON (<see cref="YamlToJson"/>,
/// refusing with <see cref="CliException"/>), the API reads the JSON body into a <see cref="ConfigDocument"/> (refusing with
/// <see cref="JsonException"/>, a 400) and validates it. The raw input is also tried as an API body, as a client may send any JSON.
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
        catch (CliException)
        {
            return;
        }

        ReadAndValidate(System.Text.Encoding.UTF8.GetBytes(json));
    }

    private static void ReadAndValidate(byte[] body)
    {
        ConfigDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<ConfigDocument>(body, ModelJson.Options);
        }
        catch (JsonException)
        {
            return;
        }

        if (document is not null)
        {
            Validator.Validate(document);
        }
    }
}
