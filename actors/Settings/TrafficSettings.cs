using TrafficActors.Placement;
using Akka.Configuration;
using TrafficActors.Domain;
using TrafficActors.Rules;

namespace TrafficActors.Settings;

/// <summary>Typed view of the <c>traffic</c> HOCON section; built once per node.</summary>
public sealed record TrafficSettings(
    string DataDir,
    KafkaSettings Kafka,
    IngestSettings Ingest,
    ValidationLimits Validation,
    RuleSettings Rules,
    LiveRulesSettings LiveRules,
    OutputSettings Outputs,
    CarSettings Cars,
    WindowSettings Windows,
    ReferenceSettings Reference,
    NodeSettings Node,
    PersistenceSettings Persistence,
    string WebUrls)
{
    public static TrafficSettings FromConfig(Akka.Configuration.Config root)
    {
        var t = root.GetConfig("traffic") ?? throw new ConfigurationException("missing `traffic` section");
        var v = t.GetConfig("validation");
        return new TrafficSettings(
            t.GetString("data-dir"),
            KafkaSettings.FromConfig(t.GetConfig("kafka")),
            IngestSettings.FromConfig(t.GetConfig("ingest")),
            new ValidationLimits(
                v.GetInt("max-message-bytes"), v.GetDouble("max-speed"), v.GetInt("max-rpm"),
                v.GetInt("min-gear"), v.GetInt("max-gear")),
            ReadRules(t.GetConfig("rules")),
            LiveRulesSettings.FromConfig(t.GetConfig("live-rules")),
            new OutputSettings(t.GetBoolean("outputs.enriched"), t.GetBoolean("outputs.alerts"), t.GetBoolean("outputs.windows")),
            CarSettings.FromConfig(t.GetConfig("cars"), t.GetInt("kafka.partitions.raw")),
            WindowSettings.FromConfig(t.GetConfig("windows")),
            new ReferenceSettings(t.GetString("reference.folder"), t.GetInt("reference.cars"), t.GetTimeSpan("reference.retry-interval"), ReferenceS3Settings.FromConfig(t.GetConfig("reference.s3"))),
            NodeSettings.FromConfig(t.GetConfig("node")),
            PersistenceSettings.FromConfig(t.GetConfig("persistence")),
            t.GetString("web.urls"));
    }

    // Read here rather than in the domain, which carries no Akka reference.
    private static RuleSettings ReadRules(Akka.Configuration.Config r) => new(
        r.GetBoolean("overspeed.enabled"),
        r.GetDouble("overspeed.speed-above"),
        r.GetBoolean("engine-stress.enabled"),
        r.GetInt("engine-stress.rpm-above"),
        r.GetBoolean("wrong-gear.enabled"),
        r.GetDouble("wrong-gear.km-h-per-gear"),
        r.GetInt("wrong-gear.min-gear"),
        r.GetInt("wrong-gear.max-gear"),
        r.GetBoolean("harsh-braking.enabled"),
        r.GetDouble("harsh-braking.speed-drop"),
        r.GetTimeSpan("harsh-braking.within"),
        r.GetBoolean("sustained-overspeed.enabled"),
        r.GetDouble("sustained-overspeed.speed-above"),
        r.GetTimeSpan("sustained-overspeed.longer-than"));
}

/// <summary>Stream between Kafka and the car actors.</summary>
public sealed record IngestSettings(
    int Parallelism, int MaxBatch, int MaxAlertsPerCount, TimeSpan AskTimeout, TimeSpan WindowRetryInterval, TimeSpan RestartMinBackoff, TimeSpan RestartMaxBackoff,
    double RestartRandomFactor, TimeSpan DrainTimeout, TimeSpan ReferenceCheckInterval, TimeSpan TimeoutCheckInterval)
{
    public static IngestSettings FromConfig(Akka.Configuration.Config c)
    {
        var settings = new IngestSettings(
            c.GetInt("parallelism"), c.GetInt("max-batch"), c.GetInt("max-alerts-per-count"), c.GetTimeSpan("ask-timeout"), c.GetTimeSpan("window-retry-interval"),
            c.GetTimeSpan("restart-min-backoff"), c.GetTimeSpan("restart-max-backoff"), c.GetDouble("restart-random-factor"),
            c.GetTimeSpan("drain-timeout"), c.GetTimeSpan("reference-check-interval"), c.GetTimeSpan("timeout-check-interval"));
        if (settings.MaxAlertsPerCount < 1)
            throw new ConfigurationException($"traffic.ingest.max-alerts-per-count must be at least 1, not {settings.MaxAlertsPerCount}");
        return settings;
    }
}

/// <summary>Which seed-compatible topics the car actors write.</summary>
public sealed record OutputSettings(bool Enriched, bool Alerts, bool Windows);

/// <summary>The <c>car</c> shard region, and what each car keeps for its drill-down trace.</summary>
public sealed record CarSettings(int Shards, TimeSpan IdleTimeout, CarPlacement Placement, TraceLimits Trace)
{
    public static CarSettings FromConfig(Akka.Configuration.Config cars, int rawPartitions)
    {
        var shards = cars.GetInt("shards");
        var placement = new CarPlacement(
            CarPlacement.ParseMode(cars.GetString("placement.mode")), rawPartitions,
            KafkaPartitioner.Parse(cars.GetString("placement.partitioner")), shards, cars.GetTimeSpan("placement.retry-interval"));
        var trace = new TraceLimits(cars.GetInt("trace-samples"), cars.GetTimeSpan("trace-span"));
        if (trace.Samples < 0)
            throw new ConfigurationException($"traffic.cars.trace-samples must be 0 (no trace) or more, not {trace.Samples}");
        if (trace.Span <= TimeSpan.Zero)
            throw new ConfigurationException($"traffic.cars.trace-span must be positive, not {trace.Span}");
        return new CarSettings(shards, cars.GetTimeSpan("idle-timeout"), placement, trace);
    }
}

/// <summary>Window aggregation.</summary>
public sealed record WindowSettings(
    TimeSpan Length, int Buckets, int Shards, TimeSpan PublishInterval, TimeSpan Retention, int RecentAlerts,
    TimeSpan AllowedLateness, TimeSpan DedupeHorizon, int MaxBatch, int SnapshotEvery,
    TimeSpan RepublishInterval, TimeSpan RepublishFor, TimeSpan IdleTimeout, TimeSpan WatermarkInterval, TimeSpan PublishCheckTimeout)
{
    public static WindowSettings FromConfig(Akka.Configuration.Config c) => new(
        c.GetTimeSpan("length"), c.GetInt("buckets"), c.GetInt("shards"), c.GetTimeSpan("publish-interval"),
        c.GetTimeSpan("retention"), c.GetInt("recent-alerts"), c.GetTimeSpan("allowed-lateness"),
        c.GetTimeSpan("dedupe-horizon"), c.GetInt("max-batch"), c.GetInt("snapshot-every"),
        c.GetTimeSpan("republish-interval"), c.GetTimeSpan("republish-for"), c.GetTimeSpan("idle-timeout"),
        c.GetTimeSpan("watermark-interval"), c.GetTimeSpan("publish-check-timeout"));
}

/// <summary>Where reference data comes from.</summary>
public sealed record ReferenceSettings(string Folder, int Cars, TimeSpan RetryInterval, ReferenceS3Settings? S3 = null);

/// <summary>Cluster membership of this node.</summary>
public sealed record NodeSettings(IReadOnlyList<string> Roles, int Port, string Hostname, IReadOnlyList<string> SeedNodes, TimeSpan StatsInterval)
{
    public bool HasRole(string role) => Roles.Contains(role, StringComparer.OrdinalIgnoreCase);

    public static NodeSettings FromConfig(Akka.Configuration.Config c) => new(
        ListOrCommaSeparated(c, "roles"), c.GetInt("port"), c.GetString("hostname"),
        ListOrCommaSeparated(c, "seed-nodes"), c.GetTimeSpan("stats-interval"));

    /// <summary>
    /// A HOCON list, or a string holding a comma-separated list: an environment variable can only carry a string
    /// (<c>TRAFFIC_NODE_ROLES=ingest,cars</c>), and HOCON does not split strings into lists by itself.
    /// </summary>
    private static string[] ListOrCommaSeparated(Akka.Configuration.Config c, string path)
    {
        var value = c.GetValue(path);
        if (value is not null && value.IsString() && value.GetString() is { } text)
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return c.GetStringList(path).ToArray();
    }
}

/// <summary>Where window aggregators persist: SQLite (default) or PostgreSQL.</summary>
public sealed record PersistenceSettings(string Provider, string ConnectionString)
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgresql";

    public static PersistenceSettings FromConfig(Akka.Configuration.Config c) =>
        new(c.GetString("provider").Trim().ToLowerInvariant(), c.GetString("connection-string", "").Trim());
}
