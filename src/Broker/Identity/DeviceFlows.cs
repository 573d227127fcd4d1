using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentVault.Broker.Management;
using AgentVault.Broker.Model;
using AgentVault.Broker.Outbound;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Identity;

/// <summary>
/// <c>agent-vault login --device</c> (RFC 8628), with the broker as the client: it asks the issuer for a user code with its own
/// client credentials (so the CLI needs no secret), hands the CLI an opaque handle instead of the device code, and polls the
/// token endpoint when the CLI asks; a validated person gets a CLI session. Pending sign-ins live in this instance's memory.
/// </summary>
internal sealed class DeviceFlows(IdTokens idTokens, OidcClientSecret secret, PersonSessions sessions, IOutboundClients outbound, TimeProvider time, ILogger<DeviceFlows> logger)
{
    public const int MaxPending = 1000;

    private const string GrantType = "urn:ietf:params:oauth:grant-type:device_code";

    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    public async Task<IResult> StartAsync(CancellationToken cancellationToken)
    {
        Sweep();
        if (_pending.Count >= MaxPending)
        {
            return Problem(429, "too_many_pending", "Too many pending", "too many device sign-ins are pending; try again in a few minutes");
        }

        JsonElement answer;
        try
        {
            var config = await idTokens.ConfigurationAsync(cancellationToken);
            if (config.DeviceAuthorizationEndpoint is not { Length: > 0 } url)
            {
                return Problem(400, "device_flow_unavailable", "Device sign-in unavailable", "the identity provider offers no device sign-in; run agent-vault login without --device");
            }

            (var status, answer) = await PostAsync(url, [new("scope", "openid email profile")], cancellationToken);
            if (status != 200)
            {
                IdentityLog.DeviceFlowFailed(logger, Text(answer, "error") ?? $"HTTP {status}");
                return Problem(502, "identity_provider_error", "Identity provider error", $"the identity provider refused the device sign-in ({Text(answer, "error") ?? "HTTP " + status})");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or IOException or JsonException or TaskCanceledException)
        {
            IdentityLog.DeviceFlowFailed(logger, ex.GetType().Name);
            return Problem(502, "identity_provider_unavailable", "Identity provider unavailable", "the identity provider could not be reached");
        }

        var deviceCode = Text(answer, "device_code");
        var userCode = Text(answer, "user_code");
        var verification = Text(answer, "verification_uri");
        if (deviceCode is null || userCode is null || verification is null)
        {
            return Problem(502, "identity_provider_error", "Identity provider error", "the identity provider's device answer is incomplete");
        }

        var interval = Math.Clamp(Number(answer, "interval") ?? 5, 1, 60);
        var expiresIn = Math.Clamp(Number(answer, "expires_in") ?? 600, 30, 1800);
        var id = "dvc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var now = time.GetUtcNow();
        _pending[id] = new Pending(deviceCode, now.AddSeconds(expiresIn), TimeSpan.FromSeconds(interval)) { NextPoll = now };
        return Results.Json(
            new { DeviceId = id, UserCode = userCode, VerificationUri = verification, VerificationUriComplete = Text(answer, "verification_uri_complete"), ExpiresIn = expiresIn, Interval = interval },
            ModelJson.Options);
    }

    public async Task<IResult> PollAsync(string? deviceId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (deviceId is null || !_pending.TryGetValue(deviceId, out var pending) || pending.Expires <= now)
        {
            return Problem(400, "expired_token", "Expired", "this device sign-in is unknown or has expired; run agent-vault login again");
        }

        if (now < pending.NextPoll)
        {
            return Problem(400, "slow_down", "Slow down", $"ask at most every {pending.Interval.TotalSeconds:0} seconds");
        }

        pending.NextPoll = now + pending.Interval;
        JsonElement answer;
        int status;
        try
        {
            var config = await idTokens.ConfigurationAsync(cancellationToken);
            (status, answer) = await PostAsync(config.TokenEndpoint, [new("grant_type", GrantType), new("device_code", pending.DeviceCode)], cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or IOException or JsonException or TaskCanceledException)
        {
            IdentityLog.DeviceFlowFailed(logger, ex.GetType().Name);
            return Problem(502, "identity_provider_unavailable", "Identity provider unavailable", "the identity provider could not be reached");
        }

        if (status != 200)
        {
            var error = Text(answer, "error");
            switch (error)
            {
                case "authorization_pending":
                    return Problem(400, "authorization_pending", "Waiting", "waiting for the person to confirm the code");
                case "slow_down":
                    pending.Interval += TimeSpan.FromSeconds(5);
                    return Problem(400, "slow_down", "Slow down", $"ask at most every {pending.Interval.TotalSeconds:0} seconds");
                case "access_denied" or "expired_token":
                    _pending.TryRemove(deviceId, out _);
                    return Problem(400, error, error == "access_denied" ? "Denied" : "Expired", error == "access_denied" ? "the sign-in was declined" : "the code expired; run agent-vault login again");
                default:
                    IdentityLog.DeviceFlowFailed(logger, error ?? $"HTTP {status}");
                    return Problem(502, "identity_provider_error", "Identity provider error", $"the identity provider refused the sign-in ({error ?? "HTTP " + status})");
            }
        }

        _pending.TryRemove(deviceId, out _);
        if (Text(answer, "id_token") is not { } idToken)
        {
            return Problem(502, "identity_provider_error", "Identity provider error", "the identity provider sent no ID token (is the openid scope allowed?)");
        }

        var (person, problem) = await idTokens.PersonAsync(idToken, Text(answer, "access_token"), cancellationToken);
        if (person is null)
        {
            IdentityLog.SignInRefused(logger, problem!);
            return Problem(403, "sign_in_refused", "Sign-in refused", problem!);
        }

        var (token, session) = await sessions.StartAsync(person, SessionRecord.Cli, cancellationToken);
        return Results.Json(new { Token = token, Email = person.Email, SessionId = session.Id, session.ExpiresAt }, ModelJson.Options);
    }

    private async Task<(int Status, JsonElement Body)> PostAsync(string url, List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        var clientSecret = await secret.GetAsync(cancellationToken);
        if (clientSecret is null)
        {
            form.Add(new("client_id", idTokens.ClientId));
        }
        else
        {
            // client_secret_basic, with the form-encoding RFC 6749 §2.3.1 asks of both parts.
            var pair = $"{Uri.EscapeDataString(idTokens.ClientId)}:{Uri.EscapeDataString(clientSecret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }

        request.Content = new FormUrlEncodedContent(form);
        using var response = await outbound.Plugins.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return ((int)response.StatusCode, json.RootElement.Clone());
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, pending) in _pending)
        {
            if (pending.Expires <= now)
            {
                _pending.TryRemove(id, out _);
            }
        }
    }

    private static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Number(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) ? number : null;

    private static ProblemResult Problem(int status, string code, string title, string detail) => new(status, code, title, detail);

    private sealed record Pending(string DeviceCode, DateTimeOffset Expires, TimeSpan Interval)
    {
        public TimeSpan Interval { get; set; } = Interval;

        public DateTimeOffset NextPoll { get; set; }

        public override string ToString() => $"device sign-in until {Expires.ToString("u", CultureInfo.InvariantCulture)}";
    }
}
