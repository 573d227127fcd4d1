using System.Buffers;
using System.Text.Json;
using AgentVault.Broker.Errors;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>Writes one problem+json body; <see cref="Errors"/> adds the <c>errors</c> member of <c>validation_failed</c>.</summary>
internal sealed class ProblemResult(int status, string code, string title, string detail) : IResult, IStatusCodeHttpResult
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string Title { get; } = title;

    public string Detail { get; } = detail;

    public IReadOnlyList<ValidationError>? Errors { get; init; }

    /// <summary>A <c>WWW-Authenticate</c> challenge to send (401 only).</summary>
    public string? Challenge { get; init; }

    /// <summary>The configuration's current <c>ETag</c>, sent with a version conflict so a client can tell it from other conflicts.</summary>
    public string? ETag { get; init; }

    /// <summary>Seconds for a <c>Retry-After</c> header (503 <c>database_unavailable</c>).</summary>
    public int? RetryAfterSeconds { get; init; }

    int? IStatusCodeHttpResult.StatusCode => Status;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Status;
        response.ContentType = "application/problem+json";
        response.Headers.CacheControl = "no-store";
        if (Challenge is not null)
        {
            response.Headers.WWWAuthenticate = Challenge;
        }

        if (ETag is not null)
        {
            response.Headers.ETag = ETag;
        }

        if (RetryAfterSeconds is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // Built in memory first: Kestrel allows only asynchronous writes to the body.
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, ProblemJson.WriterOptions))
        {
            Write(writer);
        }

        await response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted);
    }

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", ProblemResults.TypePrefix + Code);
        writer.WriteString("title", Title);
        writer.WriteNumber("status", Status);
        writer.WriteString("detail", Detail);
        writer.WriteString("code", Code);
        if (Errors is not null)
        {
            writer.WritePropertyName("errors");
            JsonSerializer.Serialize(writer, Errors, ModelJson.Options);
        }

        writer.WriteEndObject();
    }
}
