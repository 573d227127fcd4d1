using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Testing.Fakes.GitHub;

/// <summary>
/// The first step of git's smart HTTP protocol (<c>GET /{owner}/{repo}.git/info/refs?service=git-upload-pack</c>), enough for
/// <c>git ls-remote</c>: a protocol v0 ref advertisement with <c>HEAD</c> and <c>refs/heads/main</c>, for issued tokens only.
/// </summary>
internal static class FakeGitHubGit
{
    public static async Task AdvertiseRefsAsync(HttpContext context, string owner, string repo, FakeGitHubEndpoints endpoints)
    {
        if (context.Request.Query["service"] != "git-upload-pack")
        {
            await FakeGitHubEndpoints.ReplyAsync(context, 403, FakeGitHubEndpoints.Message("Only git-upload-pack is served"));
            return;
        }

        if (await endpoints.AuthorizeAsync(context) is not { } token)
        {
            return;
        }

        if (owner != FakeGitHubServer.Owner || !token.Repositories.Contains(repo))
        {
            await FakeGitHubEndpoints.ReplyAsync(context, 404, FakeGitHubEndpoints.Message("Repository not found."));
            return;
        }

        var head = CommitOf(repo);
        var body = new StringBuilder()
            .Append(PktLine("# service=git-upload-pack\n")).Append("0000")
            .Append(PktLine($"{head} HEAD\0symref=HEAD:refs/heads/main agent=fake-github\n"))
            .Append(PktLine($"{head} refs/heads/main\n"))
            .Append("0000")
            .ToString();
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-git-upload-pack-advertisement";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>A stable fake commit id per repository.</summary>
    public static string CommitOf(string repo) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(repo)))[..40];

    private static string PktLine(string payload) =>
        (Encoding.UTF8.GetByteCount(payload) + 4).ToString("x4", CultureInfo.InvariantCulture) + payload;
}
