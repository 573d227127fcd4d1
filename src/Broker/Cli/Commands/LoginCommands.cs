using System.Buffers.Text;
using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary>
/// <c>login [--device] [--no-browser]</c>, <c>logout</c> and <c>whoami</c> (SPEC §14): sign a person in through the broker's
/// identity provider and keep the session in <c>&lt;config dir&gt;/session</c>. Without <c>--device</c> the browser signs in
/// and comes back to a listener on 127.0.0.1 (RFC 8252, with PKCE); with it, the person confirms a code on any device.
/// </summary>
internal static class LoginCommands
{
    private static readonly TimeSpan BrowserWait = TimeSpan.FromMinutes(5);

    public static Command CreateLogin()
    {
        var device = new Option<bool>("--device") { Description = "Sign in by confirming a code on any device (no browser on this machine needed)" };
        var noBrowser = new Option<bool>("--no-browser") { Description = "Print the sign-in address instead of opening a browser" };
        var command = new Command("login", "Sign in with your identity provider; later commands use the session") { device, noBrowser };
        command.SetAction((result, ct) => result.GetValue(device) ? DeviceAsync(ct) : BrowserAsync(!result.GetValue(noBrowser), ct));
        return command;
    }

    public static Command CreateLogout()
    {
        var command = new Command("logout", "End the session of agent-vault login, on the broker and on this machine");
        command.SetAction(async (_, ct) =>
        {
            if (CliSession.Load() is not { } session)
            {
                CliOutput.WriteLine("not signed in");
                return ExitCodes.Ok;
            }

            using (var api = ApiClient.WithToken(session.Token, CliSession.FilePath()))
            {
                var (status, _) = await api.ExchangeAsync(HttpMethod.Post, "v1/auth/logout", null, ct).ConfigureAwait(false);
                if (status is not (HttpStatusCode.NoContent or HttpStatusCode.Unauthorized))
                {
                    throw new CliException($"the broker did not end the session ({(int)status}); the session file is kept");
                }
            }

            CliSession.Delete();
            CliOutput.WriteLine($"signed out ({session.Email})");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command CreateWhoAmI()
    {
        var json = CliOptions.Json();
        var command = new Command("whoami", "Show who the CLI acts as: the person or the admin token, and their roles") { json };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var me = CliOutput.Object(await api.GetAsync("v1/auth/whoami", ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(me);
                return ExitCodes.Ok;
            }

            var roles = CliOutput.Object(me["roles"]).Select(r => $"{CliOutput.Text(r.Value)} of {r.Key}").ToList();
            CliOutput.WriteLine(CliOutput.Text(me["actor"]));
            CliOutput.WriteLine(me["owner"]?.GetValue<bool>() == true ? "owner" : roles.Count == 0 ? "no role (ask an owner to grant you one)" : string.Join(", ", roles));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<int> DeviceAsync(CancellationToken cancellationToken)
    {
        using var api = ApiClient.Anonymous();
        var start = CliOutput.Object(await api.SendAsync(HttpMethod.Post, "v1/auth/device", null, cancellationToken).ConfigureAwait(false));
        var deviceId = CliOutput.Text(start["device_id"]);
        var address = CliOutput.Text(start["verification_uri_complete"]) is { Length: > 0 } complete ? complete : CliOutput.Text(start["verification_uri"]);
        var interval = TimeSpan.FromSeconds(Math.Max(1, start["interval"]?.GetValue<int>() ?? 5));
        await Console.Error.WriteLineAsync($"To sign in, open {address}").ConfigureAwait(false);
        await Console.Error.WriteLineAsync($"and confirm the code {CliOutput.Text(start["user_code"])}").ConfigureAwait(false);

        while (true)
        {
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            var (status, body) = await api.ExchangeAsync(HttpMethod.Post, "v1/auth/device/token", new JsonObject { ["device_id"] = deviceId }, cancellationToken).ConfigureAwait(false);
            if (status == HttpStatusCode.OK)
            {
                return Signed(api, CliOutput.Object(body));
            }

            switch (CliOutput.Text(body?["code"]))
            {
                case "authorization_pending":
                    continue;
                case "slow_down":
                    interval += TimeSpan.FromSeconds(5);
                    continue;
                default:
                    throw new CliException("sign-in failed: " + (CliOutput.Text(body?["detail"]) is { Length: > 0 } detail ? detail : $"HTTP {(int)status}"));
            }
        }
    }

    private static async Task<int> BrowserAsync(bool openBrowser, CancellationToken cancellationToken)
    {
        using var api = ApiClient.Anonymous();
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var address = $"{api.Display}/login/cli?port={port}&state={state}&challenge={challenge}";
        await Console.Error.WriteLineAsync($"To sign in, open {address}").ConfigureAwait(false);
        if (openBrowser)
        {
            TryOpen(address);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(BrowserWait);
        string code;
        try
        {
            code = await LoopbackCallback.WaitForCodeAsync(listener, state, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"no sign-in within {BrowserWait.TotalMinutes:0} minutes; run agent-vault login again (or agent-vault login --device)");
        }

        var answer = await api.SendAsync(HttpMethod.Post, "v1/auth/cli-exchange", new JsonObject { ["code"] = code, ["verifier"] = verifier }, cancellationToken).ConfigureAwait(false);
        return Signed(api, CliOutput.Object(answer));
    }

    private static int Signed(ApiClient api, JsonObject answer)
    {
        var email = CliOutput.Text(answer["email"]);
        DateTimeOffset? expires = DateTimeOffset.TryParse(CliOutput.Text(answer["expires_at"]), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;
        new CliSession(api.BaseAddress.AbsoluteUri, CliOutput.Text(answer["token"]), email, expires).Save();
        CliOutput.WriteLine($"signed in as {email}" + (expires is { } e ? $" until {e.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : string.Empty));
        return ExitCodes.Ok;
    }

    private static void TryOpen(string address)
    {
        try
        {
            using var opener = Process.Start(new ProcessStartInfo("xdg-open", [address]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true });
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // No browser opener here: the address is printed above.
        }
    }
}
