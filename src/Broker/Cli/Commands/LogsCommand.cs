using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Broker.Management;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>logs [--vault V] [--limit N] [--follow] [--json]</c>: the request log (SPEC §9), one line or JSON object per request.</summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var vault = CliOptions.Vault(required: false);
        var limit = new Option<int>("--limit", "-n") { Description = "How many recent records to print", DefaultValueFactory = _ => 100 };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > LogEndpoints.MaxLimit)
            {
                r.AddError($"--limit must be between 1 and {LogEndpoints.MaxLimit}");
            }
        });
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep running and print new requests as they happen" };
        var json = CliOptions.Json();
        var command = new Command("logs", "Show the request log (never header values, query strings or bodies)") { vault, limit, follow, json };
        command.SetAction((result, ct) => result.GetValue(follow)
            ? FollowAsync(result.GetValue(vault), result.GetValue(json), ct)
            : ListAsync(result.GetValue(vault), result.GetValue(limit), result.GetValue(json), ct));
        return command;
    }

    private static string Query(string? vault, int? limit)
    {
        var parts = new List<string>();
        if (vault is not null)
        {
            parts.Add("vault=" + ApiClient.Escape(vault));
        }

        if (limit is not null)
        {
            parts.Add($"limit={limit}");
        }

        return parts.Count == 0 ? "v1/logs" : "v1/logs?" + string.Join('&', parts);
    }

    private static async Task<int> ListAsync(string? vault, int limit, bool json, CancellationToken cancellationToken)
    {
        using var api = ApiClient.ForAdmin();
        var records = CliOutput.Array(await api.GetAsync(Query(vault, limit), cancellationToken).ConfigureAwait(false));
        foreach (var record in records)
        {
            Print(record, json);
        }

        if (records.Count == 0 && !json)
        {
            await Console.Error.WriteLineAsync("no requests logged yet").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> FollowAsync(string? vault, bool json, CancellationToken cancellationToken)
    {
        using var api = ApiClient.ForAdmin(Timeout.InfiniteTimeSpan);
        using var request = new HttpRequestMessage(HttpMethod.Get, Query(vault, null));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await api.SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line.AsSpan(5).TrimStart(' '));
            }
            else if (line.Length == 0 && data.Length > 0)
            {
                try
                {
                    Print(JsonNode.Parse(data.ToString()), json);
                }
                catch (JsonException)
                {
                    await Console.Error.WriteLineAsync("warning: skipped a malformed log event").ConfigureAwait(false);
                }

                data.Clear();
                await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        throw new CliException("the broker closed the log stream");
    }

    private static void Print(JsonNode? record, bool json)
    {
        if (json)
        {
            CliOutput.WriteJsonLine(record);
            return;
        }

        CliOutput.WriteLine(FormatLine(record as JsonObject ?? []));
    }

    internal static string FormatLine(JsonObject r)
    {
        var port = CliOutput.Text(r["port"]);
        var host = CliOutput.Text(r["host"]) + (port is "" or "443" or "80" ? string.Empty : ":" + port);
        var line = new StringBuilder()
            .Append(CliOutput.Time(r["time"])).Append("  ")
            .Append(CliOutput.Text(r["agent"]) is { Length: > 0 } agent ? agent : "-").Append('/')
            .Append(CliOutput.Text(r["vault"]) is { Length: > 0 } vault ? vault : "-").Append("  ")
            .Append(CliOutput.Text(r["method"])).Append(' ').Append(host).Append(CliOutput.Text(r["path"])).Append("  ")
            .Append(CliOutput.Text(r["status"])).Append("  ")
            .Append(CliOutput.Text(r["duration_ms"])).Append("ms");
        if (CliOutput.Text(r["service"]) is { Length: > 0 } service)
        {
            line.Append("  service=").Append(service);
        }

        if (CliOutput.Text(r["credentials"]) is { Length: > 0 } credentials)
        {
            line.Append("  credentials=").Append(credentials);
        }

        if (CliOutput.Text(r["error"]) is { Length: > 0 } error)
        {
            line.Append("  error=").Append(error);
        }

        if (CliOutput.Text(r["approval"]) is { Length: > 0 } approval)
        {
            line.Append("  approval=").Append(approval);
            if (CliOutput.Text(r["decided_by"]) is { Length: > 0 } by)
            {
                line.Append(" by=").Append(by);
            }
        }

        return line.ToString();
    }
}
