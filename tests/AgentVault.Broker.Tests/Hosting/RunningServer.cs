namespace AgentVault.Broker.Tests.Hosting;

/// <summary>A broker started in-process by a test: its exit task, the token that stops it, its output and its two addresses.</summary>
internal sealed record RunningServer(Task<int> Exit, CancellationTokenSource Stop, ObservableWriter Out, StringWriter Error, Uri Api, Uri Proxy);
