using System.Text.Json;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>Reads a JSON request body with the model's options; a bad body becomes 400 <c>bad_request</c> that never repeats the body.</summary>
internal static class JsonBody
{
    /// <summary>Largest body the management API reads (an apply document is the biggest); also Kestrel's per-request limit on the API listener, so chunked bodies stop here too.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, bool sensitive = false)
        where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, ProblemResults.BadRequest("the request body must be JSON (Content-Type: application/json)"));
        }

        try
        {
            // Free-form members (auth, settings) keep their raw JSON, so a string in them that is not valid UTF-8 or holds a
            // lone surrogate escape ("\udc00") passed the reader and threw InvalidOperationException in validation, a 500
            // (found by the config fuzz target, issue 16): read every string once first. The body is at most MaxBytes.
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken);
            if (HasUnreadableString(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
            {
                return (null, ProblemResults.BadRequest("the request body holds a string that is not valid UTF-8 or UTF-16 (a lone surrogate escape)"));
            }

            buffer.Position = 0;
            var value = await JsonSerializer.DeserializeAsync<T>(buffer, ModelJson.Options, cancellationToken);
            return value is null ? (null, ProblemResults.BadRequest("the request body is empty or null; a JSON object is expected")) : (value, null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        catch (JsonException ex)
        {
            // Messages of System.Text.Json name the property and position, not values; for bodies that carry secrets we say even less.
            var where = string.IsNullOrEmpty(ex.Path) ? string.Empty : $" at {ex.Path}";
            var detail = sensitive ? $"the request body is not valid JSON of the expected shape{where}" : $"the request body is not valid{where}: {Describe(ex)}";
            return (null, ProblemResults.BadRequest(detail));
        }
    }

    private static bool HasUnreadableString(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = ModelJson.Options.AllowTrailingCommas, CommentHandling = ModelJson.Options.ReadCommentHandling });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    reader.GetString();
                }
            }
        }
        catch (InvalidOperationException)
        {
            return true;
        }
        catch (JsonException)
        {
            // A syntax error: the deserializer reports it, with its position.
        }

        return false;
    }

    private static IResult TooLarge() => ProblemResults.RequestTooLarge($"the request body is larger than {MaxBytes / (1024 * 1024)} MiB");

    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        return message.Replace("AgentVault.Broker.Model.", string.Empty, StringComparison.Ordinal)
            .Replace("AgentVault.Broker.Management.", string.Empty, StringComparison.Ordinal);
    }
}
