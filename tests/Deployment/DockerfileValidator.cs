using System.CommandLine;
using System.Text.Json;

namespace TrafficActors.Tests.Deployment;

/// <summary>What the checks learnt from the Dockerfile, and what is wrong with it.</summary>
internal sealed record DockerfileFacts(bool HasHealthcheck, IReadOnlyList<int> ExposedPorts, IReadOnlyList<string> Problems);

/// <summary>
/// Checks the Dockerfile without a Docker engine: a .NET SDK build stage that publishes the host, an ASP.NET Core
/// runtime stage that copies from it, runs <c>dotnet traffic.dll</c> as a non-root user, exposes the HOCON ports,
/// and whose CMD and HEALTHCHECK are command lines the real parser accepts; files it copies must exist.
/// </summary>
internal static class DockerfileValidator
{
    public const string SdkImage = "mcr.microsoft.com/dotnet/sdk:10.0";
    public const string RuntimeImage = "mcr.microsoft.com/dotnet/aspnet:10.0";
    private static readonly string[] Entrypoint = ["dotnet", "traffic.dll"];

    private sealed record Instruction(string Keyword, string Arguments, int Stage);

    public static DockerfileFacts Check(string dockerfile, string contextFolder, Func<RootCommand> cli, IEnumerable<int> requiredPorts)
    {
        var problems = new List<string>();
        var stages = new List<(string Image, string? Name)>();
        var instructions = new List<Instruction>();
        foreach (var line in LogicalLines(dockerfile))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var args = space < 0 ? "" : line[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                var parts = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                stages.Add((parts[0], parts.Length >= 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null));
            }

            instructions.Add(new Instruction(keyword, args, stages.Count - 1));
        }

        if (stages.Count < 2) problems.Add("Dockerfile: expected a multi-stage build (build and runtime stages)");
        var build = stages.FindIndex(s => s.Image == SdkImage);
        var final = stages.Count - 1;
        if (build < 0) problems.Add($"Dockerfile: no build stage FROM {SdkImage}");
        if (final < 0 || stages[final].Image != RuntimeImage) problems.Add($"Dockerfile: the final stage must be FROM {RuntimeImage}");
        if (build >= 0 && !instructions.Any(i => i.Stage == build && i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish host/TrafficActors.Host.csproj", StringComparison.Ordinal)))
            problems.Add("Dockerfile: the build stage does not publish host/TrafficActors.Host.csproj");
        if (build >= 0 && !instructions.Any(i => i.Stage == final && i.Keyword == "COPY" && i.Arguments.StartsWith($"--from={stages[build].Name ?? build.ToString(System.Globalization.CultureInfo.InvariantCulture)} ", StringComparison.Ordinal)))
            problems.Add("Dockerfile: the final stage does not copy the published binaries from the build stage");

        // Build-context files the COPY lines name must exist (a renamed project would break `docker build` only).
        foreach (var copy in instructions.Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from=", StringComparison.Ordinal)))
        {
            var sources = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).SkipLast(1);
            foreach (var source in sources)
            {
                var path = Path.Combine(contextFolder, source);
                if (!File.Exists(path) && !Directory.Exists(path)) problems.Add($"Dockerfile: COPY source '{source}' does not exist");
            }
        }

        var runtime = instructions.Where(i => i.Stage == final).ToList();
        var entrypoint = Last(runtime, "ENTRYPOINT");
        if (entrypoint is null || !ExecForm(entrypoint, problems, "ENTRYPOINT").SequenceEqual(Entrypoint))
            problems.Add("Dockerfile: ENTRYPOINT must be [\"dotnet\", \"traffic.dll\"]");
        var user = Last(runtime, "USER");
        if (user is null || user is "root" or "0" or "0:0")
            problems.Add("Dockerfile: the runtime stage must switch to a non-root USER");
        if (Last(runtime, "CMD") is { } cmd)
            CheckCommand(cli, ExecForm(cmd, problems, "CMD"), problems, "Dockerfile CMD");

        var healthcheck = Last(runtime, "HEALTHCHECK");
        if (healthcheck is not null)
        {
            var at = healthcheck.IndexOf("CMD ", StringComparison.Ordinal);
            var test = at < 0 ? [] : ExecForm(healthcheck[(at + 4)..], problems, "HEALTHCHECK");
            if (test.Length < 2 || !test[..2].SequenceEqual(Entrypoint))
                problems.Add("Dockerfile: HEALTHCHECK must run `dotnet traffic.dll <verb>` (the image has no curl or wget)");
            else
                CheckCommand(cli, test[2..], problems, "Dockerfile HEALTHCHECK");
        }

        var exposed = runtime.Where(i => i.Keyword == "EXPOSE")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.TryParse(p.Split('/')[0], out var n) ? n : -1).ToList();
        foreach (var port in requiredPorts.Where(p => !exposed.Contains(p)))
            problems.Add($"Dockerfile: EXPOSE does not list port {port}");
        return new DockerfileFacts(healthcheck is not null, exposed, problems);
    }

    /// <summary>Parses <paramref name="args"/> with the real command tree; every parser error is a problem.</summary>
    public static void CheckCommand(Func<RootCommand> cli, IReadOnlyList<string> args, ICollection<string> problems, string where)
    {
        var result = cli().Parse(args.ToArray());
        foreach (var error in result.Errors)
            problems.Add($"{where}: `traffic {string.Join(' ', args)}`: {error.Message}");
    }

    private static string? Last(List<Instruction> stage, string keyword) => stage.LastOrDefault(i => i.Keyword == keyword)?.Arguments;

    private static string[] ExecForm(string arguments, ICollection<string> problems, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(arguments) ?? [];
        }
        catch (JsonException)
        {
            problems.Add($"Dockerfile: {what} should use the exec (JSON array) form so signals reach the process: {arguments}");
            return [];
        }
    }

    /// <summary>Instructions with their continuation lines joined; comments, parser directives and blank lines dropped.</summary>
    private static IEnumerable<string> LogicalLines(string text)
    {
        var current = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (current.Length == 0 && (line.Length == 0 || line.StartsWith('#'))) continue;
            if (line.StartsWith('#')) continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            yield return current + line;
            current = "";
        }

        if (current.Length > 0) yield return current.Trim();
    }
}
