using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Testing.Fakes.GitHub;

/// <summary>The request handlers of <see cref="FakeGitHubServer"/>; answers and messages follow GitHub's REST API.</summary>
internal sealed class FakeGitHubEndpoints
{
    private static readonly string[] Levels = ["read", "write", "admin"];
    private readonly Func<FakeGitHubServer> _server;

    public FakeGitHubEndpoints(Func<FakeGitHubServer> server) => _server = server;

    public void Map(WebApplication app)
    {
        app.MapPost("/app/installations/{id}/access_tokens", (HttpContext c, string id) => AccessTokensAsync(c, id));
        app.MapGet("/installation/repositories", InstallationRepositoriesAsync);
        app.MapGet("/repos/{owner}/{repo}", (HttpContext c, string owner, string repo) => RepositoryAsync(c, owner, repo));
        app.MapGet("/echo", EchoAsync);
        app.MapGet("/{owner}/{repo}.git/info/refs", (HttpContext c, string owner, string repo) => FakeGitHubGit.AdvertiseRefsAsync(c, owner, repo, this));
        app.Map("{**path}", async (HttpContext c) => { await ReplyAsync(c, 404, Message("Not Found")); });
    }

    private async Task AccessTokensAsync(HttpContext context, string id)
    {
        var server = _server();
        var request = context.Request;
        JsonObject? body = null;
        var status = await Handle();
        server.TokenRequests.Enqueue(new FakeGitHubTokenRequest(
            long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1,
            request.Headers.Accept.ToString(), request.Headers["X-GitHub-Api-Version"].ToString(), request.Headers.UserAgent.ToString(), body, status));

        async Task<int> Handle()
        {
            if (string.IsNullOrEmpty(request.Headers.UserAgent))
            {
                return await ReplyAsync(context, 403, Message("Request forbidden by administrative rules. Please make sure your request has a User-Agent header"));
            }

            var now = server.Time.GetUtcNow();
            var problem = FakeGitHubAppJwt.Verify(
                request.Headers.Authorization.ToString(), server.PublicKey, FakeGitHubServer.AppId.ToString(CultureInfo.InvariantCulture), FakeGitHubServer.ClientId, now);
            if (problem is not null)
            {
                return await ReplyAsync(context, 401, Message(problem));
            }

            if (id != FakeGitHubServer.InstallationId.ToString(CultureInfo.InvariantCulture))
            {
                return await ReplyAsync(context, 404, Message("Not Found"));
            }

            try
            {
                body = request.ContentLength is 0 or null && !request.Headers.ContainsKey("Transfer-Encoding")
                    ? null
                    : (await JsonNode.ParseAsync(request.Body, cancellationToken: context.RequestAborted)) as JsonObject;
            }
            catch (JsonException)
            {
                return await ReplyAsync(context, 400, Message("Problems parsing JSON"));
            }

            var repositories = body?["repositories"] is JsonArray r ? r.Select(x => x?.ToString() ?? string.Empty).ToList() : null;
            if (repositories is not null && repositories.Any(x => !FakeGitHubServer.Repositories.Contains(x)))
            {
                return await ReplyAsync(context, 422, Message("There is at least one repository that does not exist or is not accessible to the parent installation."));
            }

            var permissions = body?["permissions"] is JsonObject p
                ? p.ToDictionary(x => x.Key, x => x.Value?.ToString() ?? string.Empty)
                : new Dictionary<string, string>(FakeGitHubServer.Permissions);
            if (permissions.Any(x => !Granted(x.Key, x.Value)))
            {
                return await ReplyAsync(context, 422, Message("The permissions requested are not granted to this installation."));
            }

            var token = new FakeGitHubToken(NewToken(), Truncate(now + server.TokenLifetime), repositories ?? [.. FakeGitHubServer.Repositories], permissions);
            server.Tokens[token.Value] = token;
            var answer = new JsonObject
            {
                ["token"] = token.Value,
                ["expires_at"] = token.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["permissions"] = new JsonObject(permissions.Select(x => KeyValuePair.Create(x.Key, (JsonNode?)x.Value))),
                ["repository_selection"] = repositories is null ? "all" : "selected",
            };
            if (repositories is not null)
            {
                answer["repositories"] = Repos(repositories);
            }

            return await ReplyAsync(context, 201, answer);
        }
    }

    private async Task InstallationRepositoriesAsync(HttpContext context)
    {
        if (await AuthorizeAsync(context) is not { } token)
        {
            return;
        }

        await ReplyAsync(context, 200, new JsonObject
        {
            ["total_count"] = token.Repositories.Count,
            ["repositories"] = Repos(token.Repositories),
        });
    }

    private async Task RepositoryAsync(HttpContext context, string owner, string repo)
    {
        if (await AuthorizeAsync(context) is not { } token)
        {
            return;
        }

        if (owner != FakeGitHubServer.Owner || !token.Repositories.Contains(repo))
        {
            await ReplyAsync(context, 404, Message("Not Found"));
            return;
        }

        await ReplyAsync(context, 200, Repo(repo));
    }

    /// <summary>Echoes the request headers (for tests that check what reached GitHub) once the token is accepted.</summary>
    private async Task EchoAsync(HttpContext context)
    {
        if (await AuthorizeAsync(context) is null)
        {
            return;
        }

        var headers = new JsonObject(context.Request.Headers.Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), (JsonNode?)h.Value.ToString())));
        await ReplyAsync(context, 200, new JsonObject { ["headers"] = headers });
    }

    /// <summary>Accepts an issued token as <c>Bearer</c>, <c>token</c>, or the Basic password of <c>x-access-token</c> (git over HTTPS).</summary>
    internal async Task<FakeGitHubToken?> AuthorizeAsync(HttpContext context)
    {
        var server = _server();
        var value = context.Request.Headers.Authorization.ToString();
        var presented = value.StartsWith("Bearer ", StringComparison.Ordinal) ? value[7..]
            : value.StartsWith("token ", StringComparison.Ordinal) ? value[6..]
            : value.StartsWith("Basic ", StringComparison.Ordinal) ? BasicPassword(value[6..])
            : null;
        if (presented is not null && server.Tokens.TryGetValue(presented.Trim(), out var token) &&
            !token.Revoked && server.Time.GetUtcNow() < token.ExpiresAt)
        {
            server.CountApiCall(served: true);
            return token;
        }

        server.CountApiCall(served: false);
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"GitHub\"";
        await ReplyAsync(context, 401, Message(presented is null ? "Requires authentication" : "Bad credentials"));
        return null;
    }

    private static string BasicPassword(string encoded)
    {
        try
        {
            var pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded.Trim()));
            return pair.StartsWith("x-access-token:", StringComparison.Ordinal) ? pair["x-access-token:".Length..] : string.Empty;
        }
        catch (FormatException)
        {
            return string.Empty;
        }
    }

    private static bool Granted(string permission, string level) =>
        FakeGitHubServer.Permissions.TryGetValue(permission, out var granted) &&
        Array.IndexOf(Levels, level) is >= 0 and var asked && asked <= Array.IndexOf(Levels, granted);

    private static JsonArray Repos(IEnumerable<string> names) => new(names.Select(n => (JsonNode)Repo(n)).ToArray());

    private static JsonObject Repo(string name) => new()
    {
        ["name"] = name,
        ["full_name"] = $"{FakeGitHubServer.Owner}/{name}",
        ["private"] = true,
    };

    internal static JsonObject Message(string message) => new()
    {
        ["message"] = message,
        ["documentation_url"] = "https://docs.github.com/rest",
        ["status"] = "error",
    };

    private static string NewToken() => "ghs_" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 36);

    private static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());

    internal static async Task<int> ReplyAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
        return status;
    }
}
