using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace TrafficActors.Tests.Deployment;

/// <summary>One service of a compose file, with variables already interpolated.</summary>
internal sealed record ComposeService(
    string Name,
    string? Image,
    bool HasBuild,
    IReadOnlyList<string>? Command,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<int> ContainerPorts,
    IReadOnlyList<int> ExposedPorts,
    IReadOnlyList<ComposeDependency> DependsOn,
    IReadOnlyList<string>? HealthcheckTest,
    bool HealthcheckDisabled,
    string? Restart,
    IReadOnlyList<ComposeVolume> Volumes);

/// <summary>
/// A <c>volumes</c> entry of a service: <see cref="Source"/> is a named volume or, when it starts with <c>.</c> or
/// <c>/</c>, a path on the host (relative to the compose file).
/// </summary>
internal sealed record ComposeVolume(string Source, string Target, bool ReadOnly)
{
    public bool IsBindMount => Source.StartsWith('.') || Source.StartsWith('/');
}

/// <summary>A <c>depends_on</c> entry; <see cref="Condition"/> is null when the short (list) form was used.</summary>
internal sealed record ComposeDependency(string Service, string? Condition);

/// <summary>
/// A docker-compose.yml read the way Compose reads it: YAML with anchors and merge keys (YamlDotNet's
/// <see cref="MergingParser"/>), then variable interpolation from a <c>.env</c>. Only the keys the checks need are modelled.
/// </summary>
internal sealed class ComposeFile
{
    private ComposeFile(IReadOnlyList<ComposeService> services, IReadOnlyList<string> problems)
    {
        Services = services;
        Problems = problems;
    }

    public IReadOnlyList<ComposeService> Services { get; }

    /// <summary>What could not be read or interpolated.</summary>
    public IReadOnlyList<string> Problems { get; }

    public ComposeService? Find(string name) => Services.FirstOrDefault(s => s.Name == name);

    public static ComposeFile Parse(string yaml, IReadOnlyDictionary<string, string> variables)
    {
        var problems = new List<string>();
        var root = new DeserializerBuilder().Build().Deserialize<object?>(new MergingParser(new Parser(new StringReader(yaml))));
        if (root is not Dictionary<object, object?> top || top.GetValueOrDefault("services") is not Dictionary<object, object?> services)
            return new ComposeFile([], ["no `services` mapping"]);

        var list = new List<ComposeService>();
        foreach (var (key, value) in services)
        {
            var name = (string)key;
            if (value is not Dictionary<object, object?> s)
            {
                problems.Add($"service {name}: not a mapping");
                continue;
            }

            string I(string text, string where) => ComposeInterpolation.Apply(text, variables, problems, $"service {name}: {where}");
            var health = s.GetValueOrDefault("healthcheck") as Dictionary<object, object?>;
            list.Add(new ComposeService(
                name,
                s.GetValueOrDefault("image") is string image ? I(image, "image") : null,
                s.ContainsKey("build"),
                Strings(s.GetValueOrDefault("command"))?.Select(a => I(a, "command")).ToArray(),
                Environment(s.GetValueOrDefault("environment"), problems, name).ToDictionary(p => p.Key, p => I(p.Value, $"environment {p.Key}")),
                Ports(s.GetValueOrDefault("ports"), problems, name, published: true, v => I(v, "ports")),
                Ports(s.GetValueOrDefault("expose"), problems, name, published: false, v => I(v, "expose")),
                Dependencies(s.GetValueOrDefault("depends_on")),
                Strings(health?.GetValueOrDefault("test")),
                health?.GetValueOrDefault("disable") is string disable && disable == "true",
                s.GetValueOrDefault("restart") as string,
                Volumes(s.GetValueOrDefault("volumes"), problems, name, v => I(v, "volumes"))));
        }

        return new ComposeFile(list, problems);
    }

    // A string command is split like a shell would; Compose does the same before running it.
    private static List<string>? Strings(object? value) => value switch
    {
        null => null,
        string s => System.CommandLine.Parsing.CommandLineParser.SplitCommandLine(s).ToList(),
        List<object?> items => items.Select(i => i?.ToString() ?? "").ToList(),
        _ => null,
    };

    private static Dictionary<string, string> Environment(object? value, List<string> problems, string service)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (value)
        {
            case null:
                break;
            case Dictionary<object, object?> map:
                foreach (var (k, v) in map) env[(string)k] = v?.ToString() ?? "";
                break;
            case List<object?> items:
                foreach (var item in items.Select(i => i?.ToString() ?? ""))
                {
                    var eq = item.IndexOf('=', StringComparison.Ordinal);
                    if (eq < 0) env[item] = "";
                    else env[item[..eq]] = item[(eq + 1)..];
                }

                break;
            default:
                problems.Add($"service {service}: environment is neither a mapping nor a list");
                break;
        }

        return env;
    }

    /// <summary>Container-side ports of <c>ports</c> (short "host:container" or long form) or <c>expose</c>.</summary>
    private static List<int> Ports(object? value, List<string> problems, string service, bool published, Func<string, string> interpolate)
    {
        var ports = new List<int>();
        if (value is not List<object?> items) return ports;
        foreach (var item in items)
        {
            string text;
            if (item is Dictionary<object, object?> longForm) text = longForm.GetValueOrDefault("target")?.ToString() ?? "";
            else text = interpolate(item?.ToString() ?? "");
            var container = text.Split('/')[0];
            if (published) container = container.Split(':')[^1];
            if (int.TryParse(container, out var port)) ports.Add(port);
            else problems.Add($"service {service}: cannot read port '{text}' (ranges are not used here)");
        }

        return ports;
    }

    /// <summary>Short (<c>source:target[:ro]</c>) or long (<c>type/source/target/read_only</c>) volume entries.</summary>
    private static List<ComposeVolume> Volumes(object? value, List<string> problems, string service, Func<string, string> interpolate)
    {
        var volumes = new List<ComposeVolume>();
        if (value is not List<object?> items) return volumes;
        foreach (var item in items)
        {
            if (item is Dictionary<object, object?> longForm)
            {
                volumes.Add(new ComposeVolume(
                    interpolate(longForm.GetValueOrDefault("source")?.ToString() ?? ""), longForm.GetValueOrDefault("target")?.ToString() ?? "",
                    longForm.GetValueOrDefault("read_only")?.ToString() == "true"));
                continue;
            }

            var parts = interpolate(item?.ToString() ?? "").Split(':');
            if (parts.Length is 2 or 3) volumes.Add(new ComposeVolume(parts[0], parts[1], parts.Length == 3 && parts[2].Split(',').Contains("ro")));
            else problems.Add($"service {service}: cannot read volume '{item}' (source:target[:mode])");
        }

        return volumes;
    }

    private static List<ComposeDependency> Dependencies(object? value) => value switch
    {
        List<object?> names => names.Select(n => new ComposeDependency(n?.ToString() ?? "", null)).ToList(),
        Dictionary<object, object?> map => map.Select(p => new ComposeDependency(
            (string)p.Key, (p.Value as Dictionary<object, object?>)?.GetValueOrDefault("condition") as string)).ToList(),
        _ => [],
    };
}
