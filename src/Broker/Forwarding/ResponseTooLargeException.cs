namespace AgentVault.Broker.Forwarding;

/// <summary>Thrown by <see cref="ResponseBodyMeter"/> when an upstream response body grows past the proxy's limit.</summary>
internal sealed class ResponseTooLargeException : IOException
{
    public ResponseTooLargeException()
        : base("The upstream response body is larger than the proxy allows.")
    {
    }

    public ResponseTooLargeException(string message)
        : base(message)
    {
    }

    public ResponseTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ResponseTooLargeException(long limit)
        : base($"The upstream response body is larger than the proxy allows ({limit} bytes).")
    {
    }
}
