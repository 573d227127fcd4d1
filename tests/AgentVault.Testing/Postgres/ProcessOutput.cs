using System.Diagnostics;
using System.Text;

namespace AgentVault.Testing.Postgres;

/// <summary>Drains a child process's stdout and stderr (so it never blocks on a full pipe) and keeps the text for error messages.</summary>
internal sealed class ProcessOutput
{
    private readonly StringBuilder _text = new();

    public ProcessOutput(Process process)
    {
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_text)
        {
            if (_text.Length < 20_000)
            {
                _text.AppendLine(line);
            }
        }
    }
}
