using Akka.Configuration;
using Config = Akka.Configuration.Config;
using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>
/// Immutable settings for producers made by <see cref="KafkaProducer.CreateProducer"/>. Defaults live in the
/// connector's <c>reference.conf</c> (<c>traffic-actors.kafka.producer</c>).
/// </summary>
public sealed record ProducerSettings
{
    private ProducerSettings(Config config)
    {
        BootstrapServers = KafkaConfigReader.RequireString(config, "bootstrap-servers");
        ClientId = KafkaConfigReader.RequireString(config, "client-id");
        Linger = KafkaConfigReader.Duration(config, "linger");
        Acks = config.GetString("acks").Trim().ToLowerInvariant() switch
        {
            "all" or "-1" => Acks.All,
            "leader" or "1" => Acks.Leader,
            "none" or "0" => Acks.None,
            var other => throw new ConfigurationException($"Kafka producer: unknown acks '{other}'"),
        };
        EnableIdempotence = config.GetString("enable-idempotence").Trim().ToLowerInvariant() switch
        {
            "auto" => Acks == Acks.All,
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            var other => throw new ConfigurationException($"Kafka producer: enable-idempotence must be auto, on or off, not '{other}'"),
        };
        StatisticsInterval = KafkaConfigReader.Duration(config, "statistics-interval");
        Properties = KafkaConfigReader.Properties(config);
        if (StatisticsInterval < TimeSpan.Zero)
        {
            throw new ConfigurationException("Kafka producer: statistics-interval must be 0 (off) or positive");
        }

        if (EnableIdempotence && Acks != Acks.All)
        {
            throw new ConfigurationException("Kafka producer: enable-idempotence requires acks = all");
        }
    }

    public string BootstrapServers { get; init; }

    public string ClientId { get; init; }

    public TimeSpan Linger { get; init; }

    public Acks Acks { get; init; }

    /// <summary>librdkafka's retries then never duplicate or reorder messages within a partition; requires <see cref="Acks.All"/>.</summary>
    public bool EnableIdempotence { get; init; }

    /// <summary>How often librdkafka reports statistics to <see cref="StatisticsReceived"/>; <see cref="TimeSpan.Zero"/> = never.</summary>
    public TimeSpan StatisticsInterval { get; init; }

    /// <summary>
    /// Called with librdkafka's statistics JSON every <see cref="StatisticsInterval"/>, on the producer's delivery-report thread: must
    /// only hand the text on (see <see cref="KafkaStatisticsSink"/>), never parse it there.
    /// </summary>
    public Action<string>? StatisticsReceived { get; init; }

    /// <summary>Raw librdkafka properties applied last, so they override everything above.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; }

    /// <summary>Settings for <paramref name="bootstrapServers"/> with every other value from the defaults.</summary>
    public static ProducerSettings Create(string bootstrapServers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        return FromConfig(KafkaConfigReader.Strings(("bootstrap-servers", bootstrapServers)));
    }

    /// <summary>
    /// Reads <c>bootstrap-servers</c> (required) and any key of <c>traffic-actors.kafka.producer</c> in the
    /// connector's <c>reference.conf</c>, which supplies what <paramref name="config"/> leaves out.
    /// </summary>
    public static ProducerSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ProducerSettings(config.WithFallback(KafkaConfigReader.Reference.GetConfig("producer")));
    }

    public ProducerSettings WithBootstrapServers(string value) => this with { BootstrapServers = value };

    public ProducerSettings WithClientId(string value) => this with { ClientId = value };

    public ProducerSettings WithLinger(TimeSpan value) => this with { Linger = value };

    public ProducerSettings WithAcks(Acks value) => this with { Acks = value };

    public ProducerSettings WithEnableIdempotence(bool value) => this with { EnableIdempotence = value };

    /// <summary>librdkafka reports its statistics every <paramref name="interval"/> to <paramref name="received"/>; zero turns them off.</summary>
    public ProducerSettings WithStatistics(TimeSpan interval, Action<string> received)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(received);
        return this with { StatisticsInterval = interval, StatisticsReceived = received };
    }

    public ProducerSettings WithProperty(string key, string value) =>
        this with { Properties = new Dictionary<string, string>(Properties) { [key] = value } };

    /// <summary>Puts <paramref name="common"/> beneath <see cref="Properties"/>: a key set in both keeps this producer's value.</summary>
    public ProducerSettings WithCommonProperties(ClientProperties common)
    {
        ArgumentNullException.ThrowIfNull(common);
        return this with { Properties = common.Then(Properties).Values };
    }

    /// <summary>The Confluent configuration producers built from these settings use.</summary>
    public ProducerConfig ToProducerConfig()
    {
        var config = new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            ClientId = ClientId,
            LingerMs = Linger.TotalMilliseconds,
            Acks = Acks,
            EnableIdempotence = EnableIdempotence,
            StatisticsIntervalMs = (int)Math.Clamp(StatisticsInterval.TotalMilliseconds, 0, int.MaxValue),
        };
        foreach (var (key, value) in Properties)
        {
            config.Set(key, value);
        }

        return config;
    }
}
