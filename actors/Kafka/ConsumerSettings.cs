using Config = Akka.Configuration.Config;
using ConfigurationException = Akka.Configuration.ConfigurationException;
using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>
/// Immutable settings for <see cref="KafkaConsumer.CommittableSource"/>. Offsets are committed by librdkafka's
/// auto-commit from offsets the source stores explicitly, so only processed messages are ever committed.
/// </summary>
public sealed record ConsumerSettings
{
    public ConsumerSettings(string bootstrapServers, string groupId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        BootstrapServers = bootstrapServers;
        GroupId = groupId;
    }

    public string BootstrapServers { get; init; }

    public string GroupId { get; init; }

    public string ClientId { get; init; } = "traffic-actors";

    /// <summary>Longest single blocking Consume call of the polling thread; bounds shutdown and resume latency.</summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Capacity of the channel between the polling thread and the stream; when full, partitions are paused.</summary>
    public int BufferSize { get; init; } = 1024;

    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(45);

    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Progress watchdog: a partition that is assigned, not paused by the source and behind the broker's high
    /// watermark, yet returned nothing for this long, is resumed and sought to its position (first time) or fails
    /// the source so it restarts with a fresh consumer (again). <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Called on the polling thread with the partitions the watchdog found stalled, before it heals them or fails
    /// the source. Must return quickly.
    /// </summary>
    public Action<IReadOnlyList<TopicPartition>>? StallDetected { get; init; }

    /// <summary>
    /// Range (eager) by default: against the librdkafka mock cluster, cooperative-sticky rebalances left a
    /// partition without any committed offset after members joined and left, while range kept commits intact.
    /// Cooperative-sticky remains selectable for real brokers.
    /// </summary>
    public PartitionAssignmentStrategy AssignmentStrategy { get; init; } = PartitionAssignmentStrategy.Range;

    /// <summary>
    /// Called on the polling thread with the partitions this consumer was just given (e.g. to place car shards next
    /// to them). Must return quickly: hand the work to an actor.
    /// </summary>
    public Action<IReadOnlyList<TopicPartition>>? PartitionsAssigned { get; init; }

    /// <summary>
    /// Values longer than this many bytes are cut to it as they are read, with their real length in the
    /// <see cref="ValueSizeHeader"/> header; null = no limit.
    /// </summary>
    public int? MaxValueBytes { get; init; }

    /// <summary>Header that receives the real length of a value cut by <see cref="MaxValueBytes"/>.</summary>
    public string ValueSizeHeader { get; init; } = "original-size";

    /// <summary>Raw librdkafka properties applied last, so they override everything above.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    public ConsumerSettings WithBootstrapServers(string value) => this with { BootstrapServers = value };

    public ConsumerSettings WithGroupId(string value) => this with { GroupId = value };

    public ConsumerSettings WithClientId(string value) => this with { ClientId = value };

    public ConsumerSettings WithPollTimeout(TimeSpan value) => this with { PollTimeout = value };

    public ConsumerSettings WithBufferSize(int value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
        return this with { BufferSize = value };
    }

    public ConsumerSettings WithCommitInterval(TimeSpan value) => this with { CommitInterval = value };

    public ConsumerSettings WithSessionTimeout(TimeSpan value) => this with { SessionTimeout = value };

    public ConsumerSettings WithMaxPollInterval(TimeSpan value) => this with { MaxPollInterval = value };

    public ConsumerSettings WithStallTimeout(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
        return this with { StallTimeout = value };
    }

    public ConsumerSettings WithAssignmentStrategy(PartitionAssignmentStrategy value) =>
        this with { AssignmentStrategy = value };

    public ConsumerSettings WithProperty(string key, string value) =>
        this with { Properties = new Dictionary<string, string>(Properties) { [key] = value } };

    /// <summary>
    /// Reads <c>bootstrap-servers</c>, <c>group-id</c> (both required), <c>client-id</c>, <c>poll-timeout</c>,
    /// <c>buffer-size</c>, <c>commit-interval</c>, <c>session-timeout</c>, <c>max-poll-interval</c>,
    /// <c>stall-timeout</c>, <c>assignment-strategy</c> (<c>cooperative-sticky</c> or <c>range</c>) and an optional <c>properties</c>
    /// block of raw librdkafka settings.
    /// </summary>
    public static ConsumerSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var defaults = new ConsumerSettings(
            KafkaConfigReader.RequireString(config, "bootstrap-servers"),
            KafkaConfigReader.RequireString(config, "group-id"));
        var strategy = config.GetString("assignment-strategy", "range").Trim().ToLowerInvariant() switch
        {
            "cooperative-sticky" => PartitionAssignmentStrategy.CooperativeSticky,
            "range" => PartitionAssignmentStrategy.Range,
            "roundrobin" or "round-robin" => PartitionAssignmentStrategy.RoundRobin,
            var other => throw new ConfigurationException($"Kafka consumer: unknown assignment-strategy '{other}'"),
        };
        var settings = defaults with
        {
            ClientId = config.GetString("client-id", defaults.ClientId),
            PollTimeout = KafkaConfigReader.Duration(config, "poll-timeout", defaults.PollTimeout),
            BufferSize = config.GetInt("buffer-size", defaults.BufferSize),
            CommitInterval = KafkaConfigReader.Duration(config, "commit-interval", defaults.CommitInterval),
            SessionTimeout = KafkaConfigReader.Duration(config, "session-timeout", defaults.SessionTimeout),
            MaxPollInterval = KafkaConfigReader.Duration(config, "max-poll-interval", defaults.MaxPollInterval),
            StallTimeout = KafkaConfigReader.Duration(config, "stall-timeout", defaults.StallTimeout),
            AssignmentStrategy = strategy,
            Properties = KafkaConfigReader.Properties(config),
        };
        if (settings.BufferSize < 1)
        {
            throw new ConfigurationException("Kafka consumer: buffer-size must be at least 1");
        }

        if (settings.StallTimeout < TimeSpan.Zero)
        {
            throw new ConfigurationException("Kafka consumer: stall-timeout must be 0 (off) or positive");
        }

        return settings;
    }

    /// <summary>The Confluent configuration the source uses.</summary>
    public ConsumerConfig ToConsumerConfig()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = GroupId,
            ClientId = ClientId,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = ToMs(CommitInterval),
            // The source stores an offset only once the contiguous prefix before it is processed.
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = ToMs(SessionTimeout),
            // Kafka's guidance: heartbeat at most a third of the session timeout, so one late heartbeat on a loaded
            // machine does not cost the member its partitions (librdkafka's fixed 3 s equals a 6 s session's half).
            HeartbeatIntervalMs = ToMs(SessionTimeout / 3),
            MaxPollIntervalMs = ToMs(MaxPollInterval),
            PartitionAssignmentStrategy = AssignmentStrategy,
            EnablePartitionEof = false,
        };
        foreach (var (key, value) in Properties)
        {
            config.Set(key, value);
        }

        return config;
    }

    private static int ToMs(TimeSpan value) => (int)Math.Clamp(value.TotalMilliseconds, 1, int.MaxValue);
}
