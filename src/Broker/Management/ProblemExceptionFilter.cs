using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Management;

/// <summary>
/// Turns an unexpected failure of a management endpoint into 500 <c>internal</c> problem+json, or, when the database cannot be
/// reached right now, into 503 <c>database_unavailable</c> with <c>Retry-After</c> (details only in the server log).
/// </summary>
internal sealed class ProblemExceptionFilter(ILogger<ProblemExceptionFilter> logger) : IEndpointFilter
{
    /// <summary>The <c>Retry-After</c> of a 503 <c>database_unavailable</c>, in seconds.</summary>
    public const int DatabaseRetryAfterSeconds = 5;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
            return Results.Empty;
        }
        catch (Exception ex) when (!http.Response.HasStarted && DatabaseErrors.IsUnavailable(ex))
        {
            ManagementLog.DatabaseUnavailable(logger, http.Request.Method, http.Request.Path.Value ?? string.Empty, DatabaseErrors.Reason(ex), ex);
            return ProblemResults.DatabaseUnavailable("the database is unavailable; nothing was changed, try again later", DatabaseRetryAfterSeconds);
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            ManagementLog.RequestFailed(logger, http.Request.Method, http.Request.Path.Value ?? string.Empty, ex);
            return ProblemResults.Internal("the request failed inside the broker; the server log has the details");
        }
    }
}
