using System.Text;

namespace AgentVault.Broker.Tests.Hosting;

/// <summary>A TextWriter that records lines and lets a test wait for one (the server's stdout in-process).</summary>
internal sealed class ObservableWriter : TextWriter
{
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    public IReadOnlyList<string> Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

    public async Task<string> WaitForLineAsync(string prefix, Task running, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            var line = Lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            if (running.IsCompleted)
            {
                throw new InvalidOperationException($"the server stopped before printing '{prefix}': {Text}");
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no line starting with '{prefix}' within {timeout}: {Text}");
    }
}
