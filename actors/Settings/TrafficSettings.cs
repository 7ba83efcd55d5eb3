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
            new OutputSettings(t.GetBoolean("outputs.enriched"), t.GetBoolean("outputs.alerts")),
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

/// <summary>Kafka topics, partitions and the raw consumer/producer sections (read by the connector).</summary>
public sealed record KafkaSettings(
    string BootstrapServers,
    int EmbeddedBrokers,
    string RawTopic,
    string EnrichedTopic,
    string AlertsTopic,
    string DlqTopic,
    int RawPartitions,
    int EnrichedPartitions,
    int AlertsPartitions,
    int DlqPartitions,
    int DlqMaxPayloadBytes,
    Akka.Configuration.Config Consumer,
    Akka.Configuration.Config Producer,
    bool EmbeddedProfile,
    Akka.Configuration.Config EmbeddedConsumer,
    int EmbeddedControlPort = 0)
{
    public bool UseEmbedded => string.IsNullOrWhiteSpace(BootstrapServers);

    public static KafkaSettings FromConfig(Akka.Configuration.Config k) => new(
        k.GetString("bootstrap-servers", "").Trim(),
        k.GetInt("embedded.brokers"),
        k.GetString("topics.raw"),
        k.GetString("topics.enriched"),
        k.GetString("topics.alerts"),
        k.GetString("topics.dlq"),
        k.GetInt("partitions.raw"),
        k.GetInt("partitions.enriched"),
        k.GetInt("partitions.alerts"),
        k.GetInt("partitions.dlq"),
        k.GetInt("dlq-max-payload-bytes"),
        k.GetConfig("consumer"),
        k.GetConfig("producer"),
        ReadEmbeddedProfile(k),
        k.GetConfig("embedded.consumer") ?? Akka.Configuration.Config.Empty,
        k.GetInt("embedded.control-port", 0));

    // Decided before the node starts the embedded broker, which then sets BootstrapServers to its own addresses.
    private static bool ReadEmbeddedProfile(Akka.Configuration.Config k)
    {
        var profile = k.GetString("embedded.profile", "auto").Trim().ToLowerInvariant();
        return profile switch
        {
            "auto" => string.IsNullOrWhiteSpace(k.GetString("bootstrap-servers", "")),
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw new ConfigurationException(
                $"traffic.kafka.embedded.profile must be auto, on or off, not '{profile}'"),
        };
    }

    public KafkaSettings WithBootstrap(string servers) => this with { BootstrapServers = servers };

    /// <summary>
    /// The ingest consumer's settings: the <c>consumer</c> section, over the embedded broker's profile when it is
    /// on, plus the bootstrap servers in force.
    /// </summary>
    public Kafka.ConsumerSettings ToConsumerSettings() =>
        Kafka.ConsumerSettings.FromConfig(WithServers(EmbeddedProfile ? Consumer.WithFallback(EmbeddedConsumer) : Consumer));

    /// <summary>The node producer's settings: the <c>producer</c> section plus the bootstrap servers in force.</summary>
    public Kafka.ProducerSettings ToProducerSettings() => Kafka.ProducerSettings.FromConfig(WithServers(Producer));

    private Akka.Configuration.Config WithServers(Akka.Configuration.Config section) =>
        Akka.Configuration.ConfigurationFactory
            .ParseString("bootstrap-servers = " + System.Text.Json.JsonSerializer.Serialize(BootstrapServers, TrafficJson.Default.String))
            .WithFallback(section);
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
public sealed record OutputSettings(bool Enriched, bool Alerts);

/// <summary>The <c>car</c> shard region.</summary>
public sealed record CarSettings(int Shards, TimeSpan IdleTimeout, CarPlacement Placement)
{
    public static CarSettings FromConfig(Akka.Configuration.Config cars, int rawPartitions)
    {
        var shards = cars.GetInt("shards");
        var placement = new CarPlacement(
            CarPlacement.ParseMode(cars.GetString("placement.mode")), rawPartitions,
            KafkaPartitioner.Parse(cars.GetString("placement.partitioner")), shards, cars.GetTimeSpan("placement.retry-interval"));
        return new CarSettings(shards, cars.GetTimeSpan("idle-timeout"), placement);
    }
}

/// <summary>Window aggregation.</summary>
public sealed record WindowSettings(
    TimeSpan Length, int Buckets, int Shards, TimeSpan PublishInterval, TimeSpan Retention, int RecentAlerts,
    TimeSpan AllowedLateness, TimeSpan DedupeHorizon, int MaxBatch, int SnapshotEvery,
    TimeSpan RepublishInterval, TimeSpan RepublishFor)
{
    public static WindowSettings FromConfig(Akka.Configuration.Config c) => new(
        c.GetTimeSpan("length"), c.GetInt("buckets"), c.GetInt("shards"), c.GetTimeSpan("publish-interval"),
        c.GetTimeSpan("retention"), c.GetInt("recent-alerts"), c.GetTimeSpan("allowed-lateness"),
        c.GetTimeSpan("dedupe-horizon"), c.GetInt("max-batch"), c.GetInt("snapshot-every"),
        c.GetTimeSpan("republish-interval"), c.GetTimeSpan("republish-for"));
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
