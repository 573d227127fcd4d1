namespace AgentVault.Broker.Management;

/// <summary>The management API's errors as <c>application/problem+json</c> with <c>type, title, status, detail, code</c> (docs/api.md).</summary>
internal static class ProblemResults
{
    public const string TypePrefix = "https://agent-vault.dev/errors/";

    public static IResult Unauthorized(string detail) => new ProblemResult(StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized", detail)
    {
        Challenge = "Bearer",
    };

    public static IResult Forbidden(string detail) => new ProblemResult(StatusCodes.Status403Forbidden, "forbidden", "Forbidden", detail);

    public static IResult BadRequest(string detail) => new ProblemResult(StatusCodes.Status400BadRequest, "bad_request", "Bad request", detail);

    public static IResult NotFound(string detail) => new ProblemResult(StatusCodes.Status404NotFound, "not_found", "Not found", detail);

    public static IResult RequestTooLarge(string detail) => new ProblemResult(StatusCodes.Status413PayloadTooLarge, "request_too_large", "Request too large", detail);

    public static IResult MisdirectedRequest(string detail) => new ProblemResult(StatusCodes.Status421MisdirectedRequest, "misdirected_request", "Misdirected request", detail);

    /// <summary>429 <c>too_many_pending</c>: a bounded queue of things waiting for a person (proposals of a vault) is full.</summary>
    public static IResult TooManyPending(string detail) => new ProblemResult(StatusCodes.Status429TooManyRequests, "too_many_pending", "Too many pending", detail);

    public static IResult Conflict(string detail) => new ProblemResult(StatusCodes.Status409Conflict, "conflict", "Conflict", detail);

    /// <summary>
    /// 409 for a write refused because the configuration changed (a stale <c>If-Match</c>, or another writer saved first):
    /// the code stays <c>conflict</c>; the <c>ETag</c> header with the current version marks it as a version conflict.
    /// </summary>
    public static IResult VersionConflict(string detail, long currentVersion) =>
        new ProblemResult(StatusCodes.Status409Conflict, "conflict", "Conflict", detail) { ETag = ConfigETag.Format(currentVersion) };

    public static IResult StoreUnavailable(string detail) => new ProblemResult(StatusCodes.Status502BadGateway, "store_unavailable", "Store unavailable", detail);

    /// <summary>503 for a request the database could not serve right now (PostgreSQL down or restarting, SQLite busy); nothing was changed.</summary>
    public static IResult DatabaseUnavailable(string detail, int retryAfterSeconds) =>
        new ProblemResult(StatusCodes.Status503ServiceUnavailable, "database_unavailable", "Database unavailable", detail) { RetryAfterSeconds = retryAfterSeconds };

    public static IResult Internal(string detail) => new ProblemResult(StatusCodes.Status500InternalServerError, "internal", "Internal error", detail);

    public static IResult ValidationFailed(IReadOnlyList<ValidationError> errors) =>
        new ProblemResult(
            StatusCodes.Status400BadRequest,
            "validation_failed",
            "Validation failed",
            errors.Count == 1 ? $"{errors[0].Path}: {errors[0].Message}" : $"{errors.Count} problems")
        {
            Errors = errors,
        };
}
