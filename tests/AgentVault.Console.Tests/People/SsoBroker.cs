using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using AgentVault.Console.Tests.Browser;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Fakes.OAuth;
using Microsoft.Playwright;

namespace AgentVault.Console.Tests.People;

/// <summary>
/// A broker whose people sign in through a real OpenID Connect provider (<see cref="OidcPeopleServer"/>): vaults
/// <c>dev</c> and <c>prod</c>; <see cref="Owner"/> owns everything, <see cref="Editor"/> edits <c>dev</c> through the
/// group <c>dev-editors</c>, <see cref="Viewer"/> views <c>prod</c>.
/// </summary>
public sealed class SsoBroker : IAsyncLifetime
{
    public const string Owner = "owner@example.com";
    public const string Editor = "erin@example.com";
    public const string Viewer = "victor@example.com";

    private OidcPeopleServer? _idp;
    private BrokerProcess? _broker;

    public OidcPeopleServer IdentityProvider => _idp ?? throw new InvalidOperationException("not started");

    public BrokerProcess Broker => _broker ?? throw new InvalidOperationException("not started");

    public Uri ApiUrl => Broker.ApiUrl;

    public async Task InitializeAsync()
    {
        _idp = await OidcPeopleServer.StartAsync(new Dictionary<string, string[]> { [Editor] = ["dev-editors", "staff"] });
        _broker = await BrokerProcess.StartAsync(new BrokerOptions { Arguments = IdentityProvider.ServerArguments(), Environment = OidcPeopleServer.ServerEnvironment });
        using var api = Broker.CreateApiClient();
        using var applied = await api.PostAsync("v1/apply", new StringContent(
            $$"""
            {
              "vaults": [ { "name": "dev", "credentials": { "A": "local:a" } }, { "name": "prod", "credentials": { "B": "local:b" } } ],
              "access": [
                { "email": "{{Owner}}", "role": "owner" },
                { "group": "dev-editors", "vault": "dev", "role": "editor" },
                { "email": "{{Viewer}}", "vault": "prod", "role": "viewer" }
              ]
            }
            """, Encoding.UTF8, "application/json"));
        Assert.True(applied.IsSuccessStatusCode, await applied.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        if (_idp is not null)
        {
            await _idp.DisposeAsync();
        }
    }

    /// <summary>Plays the person on the identity provider's pages: the login form (any password), then consent if asked.</summary>
    public static async Task SignInAtProviderAsync(IPage page, string email)
    {
        await page.Locator("input[name=login]").FillAsync(email, new() { Timeout = 30_000 });
        await page.Locator("input[name=password]").FillAsync("any password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign-in" }).ClickAsync();
        var consent = page.GetByRole(AriaRole.Button, new() { Name = "Continue" });
        try
        {
            await consent.ClickAsync(new() { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            // Consent was not asked for (already given in this browser session).
        }
    }

    /// <summary>Starts <c>agent-vault ARGS</c> with its own config directory, reading its output as it comes.</summary>
    public CliProcess StartCli(string configDir, params string[] args) => CliProcess.Start(ApiUrl, configDir, args);

    /// <summary>The API as the admin token.</summary>
    public HttpClient Admin() => Broker.CreateApiClient();

    public async Task<string> SessionIdOfAsync(string email)
    {
        using var api = Admin();
        var sessions = await api.GetFromJsonAsync<System.Text.Json.JsonElement>("v1/sessions");
        return sessions.GetProperty("items").EnumerateArray().Last(s => s.GetProperty("actor").GetString() == email).GetProperty("id").GetString()!;
    }
}

/// <summary>A running CLI process whose stdout and stderr are collected line by line.</summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CliProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static CliProcess Start(Uri api, string configDir, string[] args)
    {
        var info = new ProcessStartInfo(TestPaths.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(TestPaths.BrokerDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["AGENT_VAULT_ADDR"] = api.AbsoluteUri.TrimEnd('/');
        info.Environment["AGENT_VAULT_CONFIG_DIR"] = configDir;
        info.Environment["AGENT_VAULT_DATA_DIR"] = Path.Combine(configDir, "no-data-dir");
        info.Environment.Remove("AGENT_VAULT_ADMIN_TOKEN");
        return new CliProcess(Process.Start(info) ?? throw new InvalidOperationException("cannot start the CLI"));
    }

    /// <summary>Waits for a line containing <paramref name="marker"/> and returns the word after it.</summary>
    public async Task<string> WordAfterAsync(string marker)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < until)
        {
            var output = Output;
            var at = output.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                var rest = output[(at + marker.Length)..];
                var end = rest.IndexOfAny([' ', '\n', '\r']);
                if (end > 0)
                {
                    return rest[..end];
                }
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"the CLI never printed '{marker}':\n{Output}");
    }

    public async Task<int> ExitCodeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await _process.WaitForExitAsync(timeout.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
