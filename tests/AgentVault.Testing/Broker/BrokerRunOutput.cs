using System.Text;
using System.Text.RegularExpressions;

namespace AgentVault.Testing.Broker;

/// <summary>
/// The output of one run of the broker process: captured stdout/stderr, and the start-up lines parsed from stdout
/// (<c>api listening on …</c>, <c>proxy listening on …</c>, <c>admin token: …</c>). <see cref="Ready"/> completes once
/// both listeners are known.
/// </summary>
internal sealed partial class BrokerRunOutput(Action<string>? log)
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    public Uri? ApiUrl { get; private set; }

    public Uri? ProxyUri { get; private set; }

    public string? AdminToken { get; private set; }

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Called when the process exits: a run that never got ready fails <see cref="Ready"/>.</summary>
    public void OnExited() => _ready.TrySetException(new InvalidOperationException("the broker exited"));

    public void OnLine(string? line, bool isStdout)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            (isStdout ? _stdout : _stderr).AppendLine(line);
        }

        log?.Invoke((isStdout ? "[broker] " : "[broker!] ") + line);
        if (!isStdout)
        {
            return;
        }

        if (ApiLine().Match(line) is { Success: true } api)
        {
            ApiUrl = new Uri(api.Groups[1].Value.TrimEnd('/') + "/");
        }
        else if (ProxyLine().Match(line) is { Success: true } proxy)
        {
            ProxyUri = new Uri(proxy.Groups[1].Value.TrimEnd('/') + "/");
        }
        else if (TokenLine().Match(line) is { Success: true } token)
        {
            AdminToken = token.Groups[1].Value;
        }

        if (ApiUrl is not null && ProxyUri is not null)
        {
            _ready.TrySetResult();
        }
    }

    [GeneratedRegex(@"api listening on (https?://\S+)")]
    private static partial Regex ApiLine();

    [GeneratedRegex(@"proxy listening on (https?://\S+)")]
    private static partial Regex ProxyLine();

    [GeneratedRegex(@"admin token: (ava_\S+)")]
    private static partial Regex TokenLine();
}
