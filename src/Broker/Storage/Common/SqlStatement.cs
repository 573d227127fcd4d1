namespace AgentVault.Broker.Storage.Common;

/// <summary>One SQL statement whose placeholders are written <c>@name</c> (both engines accept that form) and its parameters, named without the <c>@</c>.</summary>
internal sealed record SqlStatement(string Sql, params (string Name, object? Value)[] Parameters);
