namespace AgentVault.Plugins.Tests.OAuth2;

/// <summary>Holds the first response (after the server answered) until <see cref="Release"/>, observing the request's cancellation.</summary>
internal sealed class HoldingHandler : DelegatingHandler
{
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    /// <summary>Completes once the server has answered the first request.</summary>
    public Task Answered => _answered.Task;

    public void Release() => _release.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (Interlocked.Increment(ref _calls) == 1)
        {
            _answered.TrySetResult();
            try
            {
                await _release.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                response.Dispose();
                throw;
            }
        }

        return response;
    }
}
