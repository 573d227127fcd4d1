namespace AgentVault.Broker.Management;

/// <summary>An answer of a configuration write with the <c>ETag</c> of the configuration version it left, for the next <c>If-Match</c>.</summary>
internal sealed class ETagResult(IResult inner, long version) : IResult, IStatusCodeHttpResult
{
    public IResult Inner => inner;

    int? IStatusCodeHttpResult.StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ConfigETag.Set(httpContext.Response, version);
        return inner.ExecuteAsync(httpContext);
    }
}
