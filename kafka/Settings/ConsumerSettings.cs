using Akka.Configuration;
using Config = Akka.Configuration.Config;
using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>
/// Immutable settings for <see cref="KafkaConsumer"/> sources. Offsets are committed by librdkafka's auto-commit
/// from offsets the source stores explicitly, so only processed messages are ever committed. Defaults live in the
/// connector's <c>reference.conf</c> (<c>traffic-actors.kafka.consumer</c>).
/// </summary>
public sealed record ConsumerSettings
{
    private ConsumerSettings(Config config)
    {
        BootstrapServers = KafkaConfigReader.RequireString(config, "bootstrap-servers");
        GroupId = KafkaConfigReader.RequireString(config, "group-id");
        ClientId = KafkaConfigReader.RequireString(config, "client-id");
        PollTimeout = KafkaConfigReader.Duration(config, "poll-timeout");
        BufferSize = config.GetInt("buffer-size");
        CommitInterval = KafkaConfigReader.Duration(config, "commit-interval");
        SessionTimeout = KafkaConfigReader.Duration(config, "session-timeout");
        MaxPollInterval = KafkaConfigReader.Duration(config, "max-poll-interval");
        StallTimeout = KafkaConfigReader.Duration(config, "stall-timeout");
        StatisticsInterval = KafkaConfigReader.Duration(config, "statistics-interval");
        AssignmentStrategy = config.GetString("assignment-strategy").Trim().ToLowerInvariant() switch
        {
            "cooperative-sticky" => PartitionAssignmentStrategy.CooperativeSticky,
            "range" => PartitionAssignmentStrategy.Range,
            "roundrobin" or "round-robin" => PartitionAssignmentStrategy.RoundRobin,
            var other => throw new ConfigurationException($"Kafka consumer: unknown assignment-strategy '{other}'"),
        };
        Properties = KafkaConfigReader.Properties(config);
        if (BufferSize < 1)
        {
            throw new ConfigurationException("Kafka consumer: buffer-size must be at least 1");
        }

        if (StallTimeout < TimeSpan.Zero)
        {
            throw new ConfigurationException("Kafka consumer: stall-timeout must be 0 (off) or positive");
        }

        if (StatisticsInterval < TimeSpan.Zero)
        {
            throw new ConfigurationException("Kafka consumer: statistics-interval must be 0 (off) or positive");
        }
    }

    public string BootstrapServers { get; init; }

    public string GroupId { get; init; }

    public string ClientId { get; init; }

    /// <summary>Longest single blocking Consume call of the polling thread; bounds shutdown and resume latency.</summary>
    public TimeSpan PollTimeout { get; init; }

    /// <summary>Capacity of the channel between the polling thread and the stream; when full, partitions are paused.</summary>
    public int BufferSize { get; init; }

    public TimeSpan CommitInterval { get; init; }

    public TimeSpan SessionTimeout { get; init; }

    public TimeSpan MaxPollInterval { get; init; }

    /// <summary>
    /// Progress watchdog: a partition that is assigned, not paused by the source and behind the broker's high
    /// watermark, yet returned nothing for this long, is resumed and sought to its position (first time) or fails
    /// the source so it restarts with a fresh consumer (again). <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    public TimeSpan StallTimeout { get; init; }

    /// <summary>
    /// Called on the polling thread with the partitions the watchdog found stalled, before it heals them or fails
    /// the source. Must return quickly.
    /// </summary>
    public Action<IReadOnlyList<TopicPartition>>? StallDetected { get; init; }

    public PartitionAssignmentStrategy AssignmentStrategy { get; init; }

    /// <summary>How often librdkafka reports statistics to <see cref="StatisticsReceived"/>; <see cref="TimeSpan.Zero"/> = never.</summary>
    public TimeSpan StatisticsInterval { get; init; }

    /// <summary>
    /// Called with librdkafka's statistics JSON every <see cref="StatisticsInterval"/>, on the polling thread: must
    /// only hand the text on (see <see cref="KafkaStatisticsSink"/>), never parse it there.
    /// </summary>
    public Action<string>? StatisticsReceived { get; init; }

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

    /// <summary>Header that receives the real length of a value cut by <see cref="MaxValueBytes"/>; required with it.</summary>
    public string? ValueSizeHeader { get; init; }

    /// <summary>Raw librdkafka properties applied last, so they override everything above.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; }

    /// <summary>Settings for <paramref name="bootstrapServers"/> and <paramref name="groupId"/> with every other value from the defaults.</summary>
    public static ConsumerSettings Create(string bootstrapServers, string groupId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        return FromConfig(KafkaConfigReader.Strings(("bootstrap-servers", bootstrapServers), ("group-id", groupId)));
    }

    /// <summary>
    /// Reads <c>bootstrap-servers</c> and <c>group-id</c> (both required) and any key of
    /// <c>traffic-actors.kafka.consumer</c> in the connector's <c>reference.conf</c>, which supplies what
    /// <paramref name="config"/> leaves out.
    /// </summary>
    public static ConsumerSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ConsumerSettings(config.WithFallback(KafkaConfigReader.Reference.GetConfig("consumer")));
    }

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

    /// <summary>Cuts values longer than <paramref name="maxBytes"/> as they are read, recording their length in <paramref name="sizeHeader"/>.</summary>
    public ConsumerSettings WithMaxValueBytes(int maxBytes, string sizeHeader)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(sizeHeader);
        return this with { MaxValueBytes = maxBytes, ValueSizeHeader = sizeHeader };
    }

    /// <summary>librdkafka reports its statistics every <paramref name="interval"/> to <paramref name="received"/>; zero turns them off.</summary>
    public ConsumerSettings WithStatistics(TimeSpan interval, Action<string> received)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(received);
        return this with { StatisticsInterval = interval, StatisticsReceived = received };
    }

    public ConsumerSettings WithProperty(string key, string value) =>
        this with { Properties = new Dictionary<string, string>(Properties) { [key] = value } };

    /// <summary>Puts <paramref name="common"/> beneath <see cref="Properties"/>: a key set in both keeps this consumer's value.</summary>
    public ConsumerSettings WithCommonProperties(ClientProperties common)
    {
        ArgumentNullException.ThrowIfNull(common);
        return this with { Properties = common.Then(Properties).Values };
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
            StatisticsIntervalMs = (int)Math.Clamp(StatisticsInterval.TotalMilliseconds, 0, int.MaxValue),
        };
        foreach (var (key, value) in Properties)
        {
            config.Set(key, value);
        }

        return config;
    }

    private static int ToMs(TimeSpan value) => (int)Math.Clamp(value.TotalMilliseconds, 1, int.MaxValue);
}
