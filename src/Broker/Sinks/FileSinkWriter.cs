using System.Globalization;

namespace AgentVault.Broker.Sinks;

/// <summary>
/// <c>file:PATH</c>: one JSON object per line, appended, file mode 0600. Before a line would take the file past
/// <see cref="MaxBytes"/>, PATH becomes PATH.1 (PATH.1 becomes PATH.2 …, PATH.<see cref="KeptFiles"/> is deleted).
/// </summary>
internal sealed class FileSinkWriter(string path, long maxBytes = FileSinkWriter.DefaultMaxBytes) : ISinkWriter
{
    public const long DefaultMaxBytes = 10L * 1024 * 1024;
    public const int KeptFiles = 5;
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private FileStream? _stream;

    public long MaxBytes => maxBytes;

    public async Task WriteAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var record in batch)
            {
                var line = SinkRecordFormat.Json(record);
                var stream = Open();
                if (stream.Length > 0 && stream.Length + line.Length + 1 > maxBytes)
                {
                    await RotateAsync();
                    stream = Open();
                }

                await stream.WriteAsync(line, cancellationToken);
                stream.WriteByte((byte)'\n');
            }

            if (_stream is not null)
            {
                await _stream.FlushAsync(cancellationToken);
            }
        }
        catch
        {
            // Start again from a fresh handle (the file may have been removed or the disk filled); the batch is retried.
            await CloseAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync();

    private FileStream Open()
    {
        if (_stream is not null)
        {
            return _stream;
        }

        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        _stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            // A file that existed before (created by someone else or an older run) is narrowed too.
            File.SetUnixFileMode(_stream.SafeFileHandle, OwnerOnly);
        }

        return _stream;
    }

    private async Task RotateAsync()
    {
        await CloseAsync();
        File.Delete(Numbered(KeptFiles));
        for (var i = KeptFiles - 1; i >= 1; i--)
        {
            if (File.Exists(Numbered(i)))
            {
                File.Move(Numbered(i), Numbered(i + 1), overwrite: true);
            }
        }

        File.Move(path, Numbered(1), overwrite: true);
    }

    private string Numbered(int index) => path + "." + index.ToString(CultureInfo.InvariantCulture);

    private async Task CloseAsync()
    {
        if (_stream is { } stream)
        {
            _stream = null;
            try
            {
                await stream.DisposeAsync();
            }
            catch (IOException)
            {
                // Flushing a broken file on close: the records were not confirmed and are retried.
            }
        }
    }
}
