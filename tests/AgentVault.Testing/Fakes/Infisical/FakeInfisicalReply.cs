using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Testing.Fakes.Infisical;

/// <summary>An answer of the fake Infisical: status and JSON body (errors shaped like Infisical's: <c>statusCode, message, error</c>).</summary>
internal sealed record FakeInfisicalReply(int Status, JsonObject Body)
{
    public static FakeInfisicalReply Ok(JsonObject body) => new(StatusCodes.Status200OK, body);

    public static FakeInfisicalReply Error(int status, string error, string message) =>
        new(status, new JsonObject { ["reqId"] = Guid.NewGuid().ToString("N")[..12], ["statusCode"] = status, ["message"] = message, ["error"] = error });

    public static FakeInfisicalReply Unauthorized() => Error(StatusCodes.Status401Unauthorized, "UnauthorizedError", "Token missing, invalid or expired");

    public static FakeInfisicalReply NotFound(string message) => Error(StatusCodes.Status404NotFound, "NotFound", message);

    public static FakeInfisicalReply BadRequest(string message) => Error(StatusCodes.Status400BadRequest, "BadRequest", message);

    public async Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(Body.ToJsonString(), context.RequestAborted);
    }
}
