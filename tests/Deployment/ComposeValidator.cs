using System.CommandLine;
using Npgsql;
using TrafficActors.Host.Node;
using TrafficActors.Settings;

namespace TrafficActors.Tests.Deployment;

/// <summary>
/// Checks a docker-compose.yml against the code it deploys, without a Docker engine. For every service that runs
/// the project's image: its command (and healthcheck command) parses with the real <c>traffic</c> command tree, every
/// variable it sets is one the code reads, the settings the node would load from HOCON with that environment are
/// valid, each published or exposed port is one the process listens on (on a non-loopback address), and hosts it
/// connects to (Kafka, S3, PostgreSQL, seed nodes) are services of the file that it waits for. For every service:
/// <c>depends_on</c> uses conditions on existing services, and a <c>service_healthy</c> target has a health check.
/// </summary>
internal sealed class ComposeValidator(
    Func<RootCommand> cli, IReadOnlySet<string> knownVariables, string hoconFolder, bool imageHasHealthcheck)
{
    private static readonly HashSet<string> Conditions = ["service_started", "service_healthy", "service_completed_successfully"];
    private static readonly HashSet<string> ServerVerbs = ["run", "node"];
    private static readonly HashSet<string> Loopback = ["127.0.0.1", "localhost", "::1", "[::1]"];

    /// <summary>How a service that runs the project's image would start: its verb and the settings it would load.</summary>
    private sealed record TrafficService(ComposeService Service, string Verb, TrafficSettings Settings, ManagementSettings Management);

    public IReadOnlyList<string> Validate(string yaml, IReadOnlyDictionary<string, string> dotEnv)
    {
        var compose = ComposeFile.Parse(yaml, dotEnv);
        var problems = new List<string>(compose.Problems);
        var ours = compose.Services.Where(IsOurs).ToList();
        if (ours.Count == 0) problems.Add("no service runs the project's image (a service with `build`)");

        var traffic = new List<TrafficService>();
        foreach (var service in ours)
        {
            if (Check(service, problems) is { } t) traffic.Add(t);
        }

        foreach (var t in traffic) CheckConnections(t, compose, traffic, problems);
        foreach (var service in compose.Services) CheckDependencies(service, compose, problems);
        return problems;
    }

    private bool IsOurs(ComposeService s) => s.HasBuild;

    private TrafficService? Check(ComposeService service, List<string> problems)
    {
        var where = $"service {service.Name}";
        foreach (var name in service.Environment.Keys.Where(n => !knownVariables.Contains(n)))
            problems.Add($"{where}: environment variable {name} is not read by the code");

        if (service.Command is null || service.Command.Count == 0)
        {
            problems.Add($"{where}: no command; name the `traffic` verb explicitly");
            return null;
        }

        DockerfileValidator.CheckCommand(cli, service.Command, problems, where);
        if (service.HealthcheckTest is { Count: > 0 } test && !service.HealthcheckDisabled)
        {
            if (test.Count >= 3 && test[0] == "CMD" && test[1] == "dotnet" && test[2] == "traffic.dll")
                DockerfileValidator.CheckCommand(cli, test.Skip(3).ToArray(), problems, $"{where} healthcheck");
            else
                problems.Add($"{where}: healthcheck should be [\"CMD\", \"dotnet\", \"traffic.dll\", ...] (the image has no curl or wget)");
        }

        var parse = cli().Parse(service.Command.ToArray());
        if (parse.Errors.Count > 0) return null;
        var verb = parse.CommandResult.Command is RootCommand ? "run" : parse.CommandResult.Command.Name;

        TrafficSettings settings;
        ManagementSettings management;
        try
        {
            // The configuration the process would load: HOCON files with this service's variables, then its options.
            var overrides = ServerVerbs.Contains(verb) ? NodeOverrides(parse, verb).ToHocon() : null;
            var config = TrafficConfig.Load(verb == "run" ? "embedded" : null, hoconFolder, overrides, n => service.Environment.GetValueOrDefault(n));
            settings = TrafficSettings.FromConfig(config);
            management = ManagementSettings.FromConfig(config);
        }
        catch (Exception ex) when (ex is Akka.Configuration.ConfigurationException or FormatException or ArgumentException or InvalidCastException or OverflowException)
        {
            problems.Add($"{where}: its configuration does not load: {ex.Message}");
            return null;
        }

        var t = new TrafficService(service, verb, settings, management);
        CheckPorts(t, problems);
        return t;
    }

    private static NodeOptions NodeOverrides(ParseResult parse, string verb)
    {
        string[]? Many(string option) => parse.GetValue<string[]>(option) is { Length: > 0 } v
            ? v.SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray()
            : null;
        return verb == "node"
            ? new NodeOptions
            {
                Profile = null,
                Urls = parse.GetValue<string?>("--urls"),
                KafkaBootstrap = parse.GetValue<string?>("--kafka-bootstrap"),
                Roles = Many("--roles"),
                AkkaPort = parse.GetValue<int?>("--port"),
                AkkaHost = parse.GetValue<string?>("--host"),
                SeedNodes = Many("--seed-nodes"),
            }
            : new NodeOptions { Urls = parse.GetValue<string?>("--urls"), KafkaBootstrap = parse.GetValue<string?>("--kafka-bootstrap") };
    }

    /// <summary>Published and exposed ports must be ones the process listens on, on an address other containers reach.</summary>
    private static void CheckPorts(TrafficService t, List<string> problems)
    {
        var where = $"service {t.Service.Name}";
        var listening = new Dictionary<int, (string What, string Host)>();
        if (ServerVerbs.Contains(t.Verb))
        {
            listening[t.Management.Port] = ("management endpoint", t.Management.Host);
            foreach (var url in t.Settings.WebUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var u))
                    listening[u.Port] = ("HTTP API", u.Host);
            }

            if (t.Settings.Node.Port > 0) listening[t.Settings.Node.Port] = ("Akka.Remote", t.Settings.Node.Hostname);
        }

        foreach (var port in t.Service.ContainerPorts.Concat(t.Service.ExposedPorts).Distinct())
        {
            if (!listening.TryGetValue(port, out var listener))
                problems.Add($"{where}: port {port} is published or exposed but `traffic {t.Verb}` does not listen on it (listens on: {string.Join(", ", listening.Keys.Order())})");
            else if (Loopback.Contains(listener.Host))
                problems.Add($"{where}: port {port} is published but the {listener.What} listens on {listener.Host} only");
        }
    }

    /// <summary>Hosts a service connects to must be services of the file that it (transitively) waits for.</summary>
    private static void CheckConnections(TrafficService t, ComposeFile compose, List<TrafficService> traffic, List<string> problems)
    {
        var where = $"service {t.Service.Name}";
        var needs = new List<(string Host, string What)>();
        var kafka = t.Settings.Kafka;
        if (t.Verb == "node" && kafka.UseEmbedded)
            problems.Add($"{where}: no Kafka bootstrap servers; a `node` would start its own embedded broker");
        if (!kafka.UseEmbedded)
            needs.AddRange(kafka.BootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(b => (b.Split(':')[0], "Kafka")));
        if (t.Settings.Reference.S3 is { IsConfigured: true } s3)
        {
            if (Uri.TryCreate(s3.Endpoint, UriKind.Absolute, out var endpoint)) needs.Add((endpoint.Host, "S3"));
            else problems.Add($"{where}: AWS_ENDPOINT_URL is not a URL");
        }

        if (ServerVerbs.Contains(t.Verb) && t.Settings.Persistence.Provider == PersistenceSettings.PostgreSql)
        {
            try
            {
                needs.Add((new NpgsqlConnectionStringBuilder(t.Settings.Persistence.ConnectionString).Host ?? "", "PostgreSQL"));
            }
            catch (ArgumentException ex)
            {
                problems.Add($"{where}: TRAFFIC_DB_CONNECTION is not a PostgreSQL connection string: {ex.Message}");
            }
        }

        if (t.Verb == "node")
        {
            if (t.Settings.Node.Hostname != t.Service.Name)
                problems.Add($"{where}: Akka host name is '{t.Settings.Node.Hostname}'; other nodes reach this one as '{t.Service.Name}' (TRAFFIC_AKKA_HOST)");
            var first = true;
            foreach (var seed in t.Settings.Node.SeedNodes)
            {
                // Akka forms the cluster at the first seed; the others only help a restarted node find it again.
                var mustWait = first;
                first = false;
                if (!Uri.TryCreate(seed, UriKind.Absolute, out var address) || address.UserInfo != TrafficNode.SystemName)
                {
                    problems.Add($"{where}: seed node '{seed}' is not an akka.tcp://{TrafficNode.SystemName}@host:port address");
                    continue;
                }

                var target = traffic.FirstOrDefault(x => x.Service.Name == address.Host && x.Verb == "node");
                if (target is null)
                    problems.Add($"{where}: seed node '{seed}' is not a `traffic node` service of this file");
                else if (target.Settings.Node.Port != address.Port)
                    problems.Add($"{where}: seed node '{seed}' but {target.Service.Name} listens for Akka.Remote on port {target.Settings.Node.Port}");
                else if (target != t && mustWait)
                    needs.Add((address.Host, "first seed node"));
            }
        }

        var waitsFor = Closure(t.Service, compose);
        foreach (var (host, what) in needs.Distinct())
        {
            if (compose.Find(host) is null)
                problems.Add($"{where}: {what} host '{host}' is not a service of this file");
            else if (!waitsFor.Contains(host))
                problems.Add($"{where}: uses {what} on '{host}' but does not wait for it (depends_on)");
        }
    }

    private static HashSet<string> Closure(ComposeService service, ComposeFile compose)
    {
        var seen = new HashSet<string>();
        var todo = new Stack<string>(service.DependsOn.Select(d => d.Service));
        while (todo.TryPop(out var name))
        {
            if (!seen.Add(name)) continue;
            foreach (var d in compose.Find(name)?.DependsOn ?? []) todo.Push(d.Service);
        }

        return seen;
    }

    private void CheckDependencies(ComposeService service, ComposeFile compose, List<string> problems)
    {
        foreach (var d in service.DependsOn)
        {
            var where = $"service {service.Name}: depends_on {d.Service}";
            var target = compose.Find(d.Service);
            if (target is null)
            {
                problems.Add($"{where}: no such service");
                continue;
            }

            if (d.Condition is null || !Conditions.Contains(d.Condition))
            {
                problems.Add($"{where}: needs a condition ({string.Join(", ", Conditions)})");
                continue;
            }

            var hasHealthcheck = !target.HealthcheckDisabled && (target.HealthcheckTest is { Count: > 0 } || (IsOurs(target) && imageHasHealthcheck));
            if (d.Condition == "service_healthy" && !hasHealthcheck)
                problems.Add($"{where}: service_healthy, but {d.Service} has no health check");
            if (d.Condition == "service_completed_successfully" && target.Restart is "always" or "unless-stopped")
                problems.Add($"{where}: service_completed_successfully, but {d.Service} restarts ({target.Restart}) and never completes");
        }
    }
}
