using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Spectre.Console;
using TrafficActors.Settings;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Commands;

/// <summary>
/// What every inspection verb shares: <c>--node</c>, <c>--json</c>, one HTTP call to the node's management endpoint,
/// and the mapping of its outcome to an exit code and a one-line error on stderr.
/// </summary>
public static class ManagementClient
{
    public const string NodeEnvironmentVariable = "TRAFFIC_NODE";

    // Tables are written for people; when piped, use a width that keeps rows on one line instead of 80 columns.
    private const int RedirectedWidth = 200;

    public static Option<string?> NodeOption() => new("--node")
    {
        Description = $"Management endpoint of the node to ask (default: {NodeEnvironmentVariable}, else traffic.management host and port, http://127.0.0.1:9110)",
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print the node's JSON answer instead of a table" };

    /// <summary>Adds <c>--node</c> and <c>--json</c> to a verb and runs it: GET or POST <paramref name="path"/>, then render.</summary>
    public static Command Verb(Command cmd, Func<ParseResult, string> path, Action<string, IAnsiConsole> render, bool post = false) =>
        Verb(cmd, path, _ => render, post);

    /// <summary>As above, with the rendering chosen by the verb's own options.</summary>
    public static Command Verb(Command cmd, Func<ParseResult, string> path, Func<ParseResult, Action<string, IAnsiConsole>> render, bool post = false)
    {
        var node = NodeOption();
        var json = JsonOption();
        cmd.Options.Add(node);
        cmd.Options.Add(json);
        cmd.SetAction(async (r, ct) =>
        {
            var (code, body, _) = await SendAsync(r.GetValue(node), post ? HttpMethod.Post : HttpMethod.Get, path(r), null, ct);
            if (code != ExitCodes.Ok) return code;
            if (r.GetValue(json))
            {
                System.Console.Out.WriteLine(body);
                return ExitCodes.Ok;
            }

            render(r)(body, CreateConsole());
            return ExitCodes.Ok;
        });
        return cmd;
    }

    public static T Read<T>(string body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(body, type) ?? throw new JsonException("empty answer");

    private static IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });
        if (System.Console.IsOutputRedirected) console.Profile.Width = RedirectedWidth;
        return console;
    }

    /// <summary>
    /// One request to the node's management endpoint. Anything but a GET carries the admin token when
    /// TRAFFIC_ADMIN_TOKEN is set. Errors are written to stderr; the code says what happened.
    /// </summary>
    public static async Task<(int Code, string Body, HttpStatusCode? Status)> SendAsync(
        string? nodeOption, HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        var management = ManagementSettings.FromConfig(TrafficConfig.Load());
        var node = (nodeOption
            ?? (Environment.GetEnvironmentVariable(NodeEnvironmentVariable) is { Length: > 0 } env ? env : DefaultNodeUrl(management))).TrimEnd('/');
        if (!Uri.TryCreate(node, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            await System.Console.Error.WriteLineAsync($"traffic: --node must be an http(s) URL, got '{node}'");
            return (ExitCodes.Usage, "", null);
        }

        using var http = new HttpClient { BaseAddress = baseUri, Timeout = management.ClientTimeout };
        using var request = new HttpRequestMessage(method, path) { Content = content };
        // The token goes only into the header; it is never printed, even in errors.
        if (method != HttpMethod.Get && Environment.GetEnvironmentVariable(AdminToken.EnvironmentVariable) is { Length: > 0 } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            var why = ex is TaskCanceledException ? $"no answer within {management.ClientTimeout.TotalSeconds:0.#} s" : ex.GetBaseException().Message;
            await System.Console.Error.WriteLineAsync($"traffic: node {node} unreachable: {why}");
            return (ExitCodes.Unreachable, "", null);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode) return (ExitCodes.Ok, body, response.StatusCode);
            var error = TryError(body) ?? response.ReasonPhrase ?? "error";
            await System.Console.Error.WriteLineAsync($"traffic: node {node} answered {(int)response.StatusCode}: {error}");
            return (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? ExitCodes.Refused : ExitCodes.Error, body, response.StatusCode);
        }
    }

    /// <summary>
    /// The node's own management endpoint as seen from the same machine. A listener bound to every interface
    /// (0.0.0.0 or ::, as in a container) is reached through loopback.
    /// </summary>
    public static string DefaultNodeUrl(ManagementSettings management)
    {
        var host = management.Host.Trim('[', ']') switch
        {
            "0.0.0.0" or "*" or "+" => "127.0.0.1",
            "::" => "[::1]",
            var h when h.Contains(':', StringComparison.Ordinal) => $"[{h}]",
            var h => h,
        };
        return $"http://{host}:{management.Port}";
    }

    private static string? TryError(string body)
    {
        try
        {
            if (JsonSerializer.Deserialize(body, ManagementJson.Default.ProblemResponse)?.Error is { } error) return error;
            // A 503 from /ready carries the checks instead: name the ones that failed.
            var failed = JsonSerializer.Deserialize(body, ManagementJson.Default.HealthReport)?.Checks?.Where(c => !c.Ok).ToArray();
            return failed is { Length: > 0 } ? "not ready: " + string.Join("; ", failed.Select(c => $"{c.Name} ({c.Detail})")) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
