using System.Reflection;
using System.Text.Json;
using AgentVault.Broker.Documents;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Catalog;

/// <summary>
/// Reads the templates embedded in the binary (<c>Catalog/Templates/*.yaml</c>, resources <c>catalog/&lt;id&gt;.yaml</c>) with the
/// configuration file's YAML reader and JSON conventions, so a template's <c>services</c> are exactly the file format.
/// </summary>
internal static class CatalogTemplateReader
{
    public const string ResourcePrefix = "catalog/";

    public static IReadOnlyList<CatalogTemplate> ReadEmbedded()
    {
        var assembly = typeof(CatalogTemplateReader).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => Read(assembly, n))
            .ToList();
    }

    /// <summary>Parses one template; <paramref name="sourceName"/> (the resource name) is its id plus <c>.yaml</c>.</summary>
    public static CatalogTemplate Parse(string yaml, string sourceName)
    {
        CatalogTemplate? template;
        try
        {
            template = YamlToJson.Parse(yaml, sourceName).Deserialize<CatalogTemplate>(ModelJson.Options);
        }
        catch (JsonException e)
        {
            throw new CatalogException($"{sourceName}: {e.Message}", e);
        }
        catch (DocumentFormatException e)
        {
            throw new CatalogException(e.Message, e);
        }

        if (template is null || Path.GetFileNameWithoutExtension(sourceName) != template.Id)
        {
            throw new CatalogException($"{sourceName}: the file name must be the template's id");
        }

        return template;
    }

    private static CatalogTemplate Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new CatalogException($"embedded template {resource} is missing");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), resource[ResourcePrefix.Length..]);
    }
}
