using System.Text.Json;
using System.Text.RegularExpressions;
using TrafficActors.Tests.Support;
using YamlDotNet.Serialization;

namespace TrafficActors.Tests.Observability;

/// <summary>The monitoring configuration shipped in observability/, read the way the tests need it.</summary>
internal static partial class ShippedMonitoring
{
    /// <summary>The fixed range that stands in for Grafana's interval variables in a query run outside Grafana.</summary>
    public const string Range = "1m";

    private static readonly string[] IntervalVariables = ["$__rate_interval", "$__interval", "$__range"];

    // PromQL words that look like metric names where they stand.
    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset"];

    public static string PrometheusFolder => RepositoryRoot.File("observability", "prometheus");

    public static string PrometheusConfig => Path.Combine(PrometheusFolder, "prometheus.yml");

    public static string Rules => Path.Combine(PrometheusFolder, "alerts.yml");

    public static string RulesTest => Path.Combine(PrometheusFolder, "alerts-test.yml");

    public static string Dashboard => RepositoryRoot.File("observability", "grafana", "dashboards", "traffic-actors.json");

    /// <summary>
    /// The shipped prometheus.yml with every scrape target replaced by <paramref name="target"/> and the scrape and
    /// evaluation intervals by <paramref name="interval"/>; everything else stays as shipped.
    /// </summary>
    public static string PrometheusConfigFor(string target, string interval)
    {
        var root = (Dictionary<object, object?>)new DeserializerBuilder().Build().Deserialize<object?>(File.ReadAllText(PrometheusConfig))!;
        var global = (Dictionary<object, object?>)root["global"]!;
        global["scrape_interval"] = interval;
        global["evaluation_interval"] = interval;
        foreach (var job in (List<object?>)root["scrape_configs"]!)
        {
            foreach (var sc in (List<object?>)((Dictionary<object, object?>)job!)["static_configs"]!)
                ((Dictionary<object, object?>)sc!)["targets"] = new List<object?> { target };
        }

        return new SerializerBuilder().Build().Serialize(root);
    }

    /// <summary>Each panel's title and queries, Grafana's variables replaced (intervals by <see cref="Range"/>, template variables by their "all" value).</summary>
    public static IReadOnlyList<(string Panel, string Query)> DashboardQueries()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var root = doc.RootElement;
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Select(v => (Name: v.GetProperty("name").GetString()!, All: v.GetProperty("allValue").GetString()!))
            .ToList();
        var queries = new List<(string, string)>();
        foreach (var panel in root.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                var expr = target.GetProperty("expr").GetString()!;
                foreach (var interval in IntervalVariables) expr = expr.Replace(interval, Range, StringComparison.Ordinal);
                foreach (var (name, all) in variables)
                    expr = expr.Replace("${" + name + "}", all, StringComparison.Ordinal).Replace("$" + name, all, StringComparison.Ordinal);
                queries.Add((panel.GetProperty("title").GetString()!, expr));
            }
        }

        return queries;
    }

    /// <summary>The metric queries of the dashboard's template variables (<c>label_values(metric, label)</c>).</summary>
    public static IReadOnlyList<string> VariableMetrics()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Dashboard));
        return doc.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Select(v => LabelValues().Match(v.GetProperty("definition").GetString()!))
            .Where(m => m.Success).Select(m => m.Groups["metric"].Value).ToList();
    }

    /// <summary>Each alert rule's name and expression.</summary>
    public static IReadOnlyList<(string Alert, string Expr)> AlertRules()
    {
        var root = (Dictionary<object, object?>)new DeserializerBuilder().Build().Deserialize<object?>(File.ReadAllText(Rules))!;
        return (from g in (List<object?>)root["groups"]!
                from r in (List<object?>)((Dictionary<object, object?>)g!)["rules"]!
                let rule = (Dictionary<object, object?>)r!
                select ((string)rule["alert"]!, (string)rule["expr"]!)).ToList();
    }

    /// <summary>The metric names a PromQL expression reads: what remains once labels, ranges, grouping and functions are taken out.</summary>
    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var bare = Grouping().Replace(Ranges().Replace(Matchers().Replace(Strings().Replace(expr, ""), ""), ""), "");
        return Identifiers().Matches(bare)
            .Where(m => !m.Groups["call"].Success && !Keywords.Contains(m.Groups["name"].Value))
            .Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifiers();

    [GeneratedRegex(@"label_values\((?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*,")]
    private static partial Regex LabelValues();
}
