namespace AgentVault.Broker.Management;

/// <summary>Turns an unexpected failure of a management endpoint into 500 <c>internal</c> problem+json (details only in the server log).</summary>
internal sealed class ProblemExceptionFilter(ILogger<ProblemExceptionFilter> logger) : IEndpointFilter
{
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
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            ManagementLog.RequestFailed(logger, http.Request.Method, http.Request.Path.Value ?? string.Empty, ex);
            return ProblemResults.Internal("the request failed inside the broker; the server log has the details");
        }
    }
}
