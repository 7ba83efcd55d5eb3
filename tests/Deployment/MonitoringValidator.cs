using System.Text.Json;
using TrafficActors.Settings;
using YamlDotNet.Serialization;

namespace TrafficActors.Tests.Deployment;

/// <summary>
/// Checks the monitoring services of a compose file against the files they mount and the nodes they watch, without a
/// Docker engine: every bind mount exists in the repository; Prometheus' <c>--config.file</c> is a mounted file,
/// its rule files exist, and its scrape targets are exactly the <c>traffic node</c> services on their management
/// port (bound where other containers reach it); Grafana's data sources point at the Prometheus service and port,
/// its dashboard provider at a mounted folder of dashboards whose panels use a provisioned data source.
/// </summary>
/// <param name="root">The repository the compose file's relative mounts are resolved against.</param>
/// <param name="replaced">Texts read instead of the files at these repository-relative paths (to show a check catches a mistake).</param>
internal sealed class MonitoringValidator(string root, string hoconFolder, IReadOnlyDictionary<string, string>? replaced = null)
{
    public const string PrometheusService = "prometheus";
    public const string GrafanaService = "grafana";

    private const string ConfigFlag = "--config.file=";
    private const string ProvisioningTarget = "/etc/grafana/provisioning";
    private static readonly HashSet<string> Loopback = ["127.0.0.1", "localhost", "::1"];

    public IReadOnlyList<string> Validate(ComposeFile compose)
    {
        var problems = new List<string>(compose.Problems);
        foreach (var service in compose.Services)
        {
            foreach (var v in service.Volumes.Where(v => v.IsBindMount && Read(Relative(v.Source)) is null && !IsDirectory(Relative(v.Source))))
                problems.Add($"service {service.Name}: mounts {v.Source}, which is not in the repository");
        }

        var prometheus = compose.Find(PrometheusService);
        if (prometheus is null) problems.Add($"no {PrometheusService} service");
        else CheckPrometheus(prometheus, compose, problems);
        var grafana = compose.Find(GrafanaService);
        if (grafana is null) problems.Add($"no {GrafanaService} service");
        else CheckGrafana(grafana, prometheus, problems);
        return problems;
    }

    /// <summary>The scrape targets (<c>host:port</c>) of a Prometheus configuration.</summary>
    public static IReadOnlyList<string> ScrapeTargets(string prometheusYaml)
    {
        var root = Yaml(prometheusYaml);
        return (from job in List(Map(root)?.GetValueOrDefault("scrape_configs"))
                from sc in List(Map(job)?.GetValueOrDefault("static_configs"))
                from target in List(Map(sc)?.GetValueOrDefault("targets"))
                select target?.ToString() ?? "").ToList();
    }

    private void CheckPrometheus(ComposeService prometheus, ComposeFile compose, List<string> problems)
    {
        var where = $"service {PrometheusService}";
        var flag = prometheus.Command?.FirstOrDefault(a => a.StartsWith(ConfigFlag, StringComparison.Ordinal));
        if (flag is null)
        {
            problems.Add($"{where}: no {ConfigFlag} in its command");
            return;
        }

        var path = OnHost(prometheus, flag[ConfigFlag.Length..]);
        if (path is null || Read(path) is not { } text)
        {
            problems.Add($"{where}: {flag[ConfigFlag.Length..]} is not a mounted repository file");
            return;
        }

        var folder = Path.GetDirectoryName(path) ?? "";
        foreach (var rules in List(Map(Yaml(text))?.GetValueOrDefault("rule_files")).Select(r => r?.ToString() ?? ""))
        {
            if (Read(Path.Combine(folder, rules)) is null) problems.Add($"{where}: rule file {rules} is missing beside {path}");
        }

        var targets = ScrapeTargets(text);
        var nodes = compose.Services.Where(s => s.HasBuild && s.Command is ["node", ..]).ToList();
        foreach (var target in targets)
        {
            var (host, port) = (target.Split(':')[0], int.TryParse(target.Split(':').ElementAtOrDefault(1), out var p) ? p : -1);
            var node = nodes.FirstOrDefault(n => n.Name == host);
            if (node is null)
            {
                problems.Add($"{where}: scrape target {target} is not a `traffic node` service");
                continue;
            }

            var management = Management(node);
            if (management.Port != port)
                problems.Add($"{where}: scrape target {target}, but {host}'s management endpoint listens on port {management.Port}");
            if (Loopback.Contains(management.Host))
                problems.Add($"{where}: scrape target {target}, but {host}'s management endpoint listens on {management.Host} only");
        }

        foreach (var node in nodes.Where(n => !targets.Any(t => t.Split(':')[0] == n.Name)))
            problems.Add($"{where}: node {node.Name} is not scraped");
    }

    private void CheckGrafana(ComposeService grafana, ComposeService? prometheus, List<string> problems)
    {
        var where = $"service {GrafanaService}";
        var provisioning = OnHost(grafana, ProvisioningTarget);
        if (provisioning is null || !IsDirectory(provisioning))
        {
            problems.Add($"{where}: nothing of the repository mounted at {ProvisioningTarget}");
            return;
        }

        var uids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in Provisioned(provisioning, "datasources", "datasources"))
        {
            var uid = source.GetValueOrDefault("uid")?.ToString() ?? "";
            uids.Add(uid);
            if (source.GetValueOrDefault("type")?.ToString() != "prometheus") continue;
            if (!Uri.TryCreate(source.GetValueOrDefault("url")?.ToString(), UriKind.Absolute, out var url))
                problems.Add($"{where}: data source {uid} has no URL");
            else if (prometheus is null || url.Host != prometheus.Name || !prometheus.ContainerPorts.Contains(url.Port))
                problems.Add($"{where}: data source {uid} points at {url.Authority}, not the {PrometheusService} service and port");
        }

        var dashboards = 0;
        foreach (var provider in Provisioned(provisioning, "dashboards", "providers"))
        {
            var folder = (provider.GetValueOrDefault("options") as Dictionary<object, object?>)?.GetValueOrDefault("path")?.ToString() ?? "";
            var host = OnHost(grafana, folder);
            if (host is null || !IsDirectory(host))
            {
                problems.Add($"{where}: dashboard folder {folder} is not a mounted repository folder");
                continue;
            }

            foreach (var file in DashboardFiles(host))
            {
                dashboards++;
                using var doc = JsonDocument.Parse(Read(file) ?? "{}");
                foreach (var uid in DatasourceUids(doc.RootElement).Where(u => !uids.Contains(u)).Distinct())
                    problems.Add($"{where}: dashboard {file} uses data source {uid}, which is not provisioned");
            }
        }

        if (dashboards == 0) problems.Add($"{where}: no dashboard provisioned");
    }

    private IEnumerable<Dictionary<object, object?>> Provisioned(string provisioning, string kind, string key) =>
        from file in Files(Path.Combine(provisioning, kind)).Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
        from entry in List(Map(Yaml(Read(file) ?? ""))?.GetValueOrDefault(key))
        let map = Map(entry)
        where map is not null
        select map;

    private IEnumerable<string> DashboardFiles(string folder) => Files(folder).Where(f => f.EndsWith(".json", StringComparison.Ordinal));

    private IEnumerable<string> Files(string folder)
    {
        var full = Path.Combine(root, folder);
        return Directory.Exists(full)
            ? Directory.GetFiles(full).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)
            : [];
    }

    private static IEnumerable<string> DatasourceUids(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                if (p.Name == "datasource" && p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("uid", out var uid))
                    yield return uid.GetString() ?? "";
                foreach (var nested in DatasourceUids(p.Value)) yield return nested;
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray())
            {
                foreach (var nested in DatasourceUids(item)) yield return nested;
            }
        }
    }

    private ManagementSettings Management(ComposeService node) =>
        ManagementSettings.FromConfig(TrafficConfig.Load(folder: hoconFolder, environment: n => node.Environment.GetValueOrDefault(n)));

    /// <summary>The repository path a container path of <paramref name="service"/> comes from, through its bind mounts.</summary>
    private static string? OnHost(ComposeService service, string containerPath)
    {
        var mount = service.Volumes
            .Where(v => v.IsBindMount && (containerPath == v.Target || containerPath.StartsWith(v.Target.TrimEnd('/') + "/", StringComparison.Ordinal)))
            .MaxBy(v => v.Target.Length);
        if (mount is null) return null;
        var rest = containerPath[mount.Target.Length..].TrimStart('/');
        return Path.Combine(Relative(mount.Source), rest).TrimEnd('/');
    }

    private static string Relative(string source) => source.StartsWith("./", StringComparison.Ordinal) ? source[2..] : source.TrimStart('.');

    private string? Read(string path)
    {
        if (replaced?.GetValueOrDefault(path) is { } text) return text;
        var full = Path.Combine(root, path);
        return File.Exists(full) ? File.ReadAllText(full) : null;
    }

    private bool IsDirectory(string path) => Directory.Exists(Path.Combine(root, path));

    private static object? Yaml(string text) => new DeserializerBuilder().Build().Deserialize<object?>(text);

    private static Dictionary<object, object?>? Map(object? value) => value as Dictionary<object, object?>;

    private static List<object?> List(object? value) => value as List<object?> ?? [];
}
