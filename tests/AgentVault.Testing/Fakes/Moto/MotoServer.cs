using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using AgentVault.Plugins.SigV4;

namespace AgentVault.Testing.Fakes.Moto;

/// <summary>
/// A real moto server (AWS emulator) on 127.0.0.1 with SigV4 enforced: an IAM user with a full-access policy and its
/// access key are created while moto still accepts unauthenticated calls, then authentication is switched on, so
/// afterwards a request signed with a wrong key fails. Secrets are managed through signed Secrets Manager calls.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly StringBuilder _output = new();
    private readonly List<string> _marks = [];
    private int _postRequests;
    private AwsCredentials _admin = new("AKIDBOOTSTRAP000000", "bootstrap-secret-not-checked");

    private MotoServer(Process process, int port)
    {
        _process = process;
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>The endpoint to give the <c>endpoint</c> setting (Secrets Manager and STS are served here).</summary>
    public Uri Endpoint { get; }

    /// <summary>The region everything is created in.</summary>
    public string Region => "us-east-1";

    /// <summary>The access key id of the full-access IAM user.</summary>
    public string AccessKeyId => _admin.AccessKeyId;

    /// <summary>The secret access key of the full-access IAM user.</summary>
    public string SecretAccessKey => _admin.SecretAccessKey;

    /// <summary>How many POST requests (every AWS API call made here is one) moto has logged so far.</summary>
    public int PostRequests => Volatile.Read(ref _postRequests);

    /// <summary>True while the moto process runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Starts moto, waits for it with a deadline, creates the IAM user and turns authentication on.</summary>
    public static async Task<MotoServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("/usr/bin/python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PYTHONPATH"] = TestToolPaths.MotoPythonPath();
        start.Environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "1000000";
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("moto did not start");
        var server = new MotoServer(process, port);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitReadyAsync(cancellationToken);
            await server.BootstrapAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a secret with a string or a binary value; returns its ARN.</summary>
    public async Task<string> CreateSecretAsync(string name, string? value, byte[]? binary = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["Name"] = name };
        if (binary is not null)
        {
            body["SecretBinary"] = Convert.ToBase64String(binary);
        }
        else
        {
            body["SecretString"] = value;
        }

        using var result = await SecretsManagerAsync("CreateSecret", body, cancellationToken);
        return result.RootElement.GetProperty("ARN").GetString()!;
    }

    /// <summary>Stores a new version of a secret (staged AWSCURRENT unless <paramref name="stages"/> say otherwise); returns its version id.</summary>
    public async Task<string> PutSecretValueAsync(string name, string value, string[]? stages = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["SecretId"] = name, ["SecretString"] = value };
        if (stages is not null)
        {
            body["VersionStages"] = new JsonArray(stages.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        }

        using var result = await SecretsManagerAsync("PutSecretValue", body, cancellationToken);
        return result.RootElement.GetProperty("VersionId").GetString()!;
    }

    /// <summary>Creates an IAM role that web identities may assume, allowed everything; returns its ARN.</summary>
    public async Task<string> CreateRoleAsync(string name, CancellationToken cancellationToken = default)
    {
        const string trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/example"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""";
        var created = await IamAsync(new() { ["Action"] = "CreateRole", ["RoleName"] = name, ["AssumeRolePolicyDocument"] = trust }, cancellationToken);
        await IamAsync(new() { ["Action"] = "PutRolePolicy", ["RoleName"] = name, ["PolicyName"] = "all", ["PolicyDocument"] = AllowAll }, cancellationToken);
        return Element(created, "Arn");
    }

    /// <summary>
    /// Lets the next <paramref name="count"/> calls through without authentication, then enforces it again. Needed for
    /// STS <c>AssumeRoleWithWebIdentity</c>, which is unsigned by design but which moto fails with a 500 while enforcing.
    /// </summary>
    public async Task AllowUnauthenticatedCallsAsync(int count, CancellationToken cancellationToken = default) =>
        await ResetAuthAsync(count, cancellationToken);

    /// <summary>
    /// Waits until moto's log has caught up with every request answered so far: moto logs a request when it starts
    /// answering it, so once a marker request sent now shows up, <see cref="PostRequests"/> counts all earlier calls.
    /// </summary>
    public async Task SyncLogAsync(CancellationToken cancellationToken = default)
    {
        var mark = Guid.NewGuid().ToString("N");
        using (var response = await _http.GetAsync(new Uri(Endpoint, "/moto-api/data.json?mark=" + mark), cancellationToken))
        {
            response.EnsureSuccessStatusCode();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            lock (_output)
            {
                if (_marks.Contains(mark))
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("moto did not log the marker request");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>The last lines moto printed (for failure messages).</summary>
    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    /// <summary>Stops moto (an outage); the object stays usable for its endpoint only.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        _http.Dispose();
    }

    private const string AllowAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    private async Task BootstrapAsync(CancellationToken cancellationToken)
    {
        await IamAsync(new() { ["Action"] = "CreateUser", ["UserName"] = "agent-vault" }, cancellationToken);
        await IamAsync(new() { ["Action"] = "PutUserPolicy", ["UserName"] = "agent-vault", ["PolicyName"] = "all", ["PolicyDocument"] = AllowAll }, cancellationToken);
        var key = await IamAsync(new() { ["Action"] = "CreateAccessKey", ["UserName"] = "agent-vault" }, cancellationToken);
        _admin = new AwsCredentials(
            Element(key, "AccessKeyId"), Element(key, "SecretAccessKey"));

        // From now on moto checks every signature and policy.
        await ResetAuthAsync(0, cancellationToken);
    }

    private async Task ResetAuthAsync(int unauthenticatedCalls, CancellationToken cancellationToken)
    {
        var body = new StringContent(unauthenticatedCalls.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var reset = await _http.PostAsync(new Uri(Endpoint, "/moto-api/reset-auth"), body, cancellationToken);
        reset.EnsureSuccessStatusCode();
    }

    // moto answers without the XML namespace AWS uses; match on local names.
    private static string Element(XDocument document, string name) =>
        document.Descendants().First(e => e.Name.LocalName == name).Value;

    private async Task<XDocument> IamAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        form["Version"] = "2010-05-08";
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new FormUrlEncodedContent(form) };
        var text = await SendSignedAsync(request, "iam", cancellationToken);
        return XDocument.Parse(text);
    }

    private async Task<JsonDocument> SecretsManagerAsync(string operation, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent(body.ToJsonString()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager." + operation);
        return JsonDocument.Parse(await SendSignedAsync(request, "secretsmanager", cancellationToken));
    }

    private async Task<string> SendSignedAsync(HttpRequestMessage request, string service, CancellationToken cancellationToken)
    {
        var options = new SigV4SigningOptions { Region = Region, Service = service };
        await SigV4Signer.SignAsync(request, _admin, options, DateTimeOffset.UtcNow, cancellationToken);
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"moto {service} call failed: {(int)response.StatusCode} {text}");
        }

        return text;
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartDeadline;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"moto exited with {_process.ExitCode}: {Output()}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri(Endpoint, "/moto-api/data.json"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"moto did not answer within {StartDeadline}: {Output()}");
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.Contains("\"POST / HTTP", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _postRequests);
        }

        lock (_output)
        {
            var markAt = line.IndexOf("mark=", StringComparison.Ordinal);
            if (markAt >= 0 && line.Length >= markAt + 5 + 32)
            {
                _marks.Add(line.Substring(markAt + 5, 32));
            }

            if (_output.Length > 8000)
            {
                _output.Remove(0, _output.Length - 4000);
            }

            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
