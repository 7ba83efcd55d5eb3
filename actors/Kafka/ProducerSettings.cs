using Confluent.Kafka;
using Config = Akka.Configuration.Config;
using ConfigurationException = Akka.Configuration.ConfigurationException;

namespace TrafficActors.Kafka;

/// <summary>Immutable settings for <see cref="KafkaProducer"/> flows and sinks.</summary>
public sealed record ProducerSettings
{
    public ProducerSettings(string bootstrapServers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        BootstrapServers = bootstrapServers;
    }

    public string BootstrapServers { get; init; }

    public string ClientId { get; init; } = "traffic-actors";

    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(5);

    public Acks Acks { get; init; } = Acks.All;

    /// <summary>
    /// On by default: librdkafka's retries then never duplicate or reorder messages within a partition.
    /// Requires <see cref="Acks.All"/>.
    /// </summary>
    public bool EnableIdempotence { get; init; } = true;

    /// <summary>Envelopes in flight at once per materialized flow (results are still emitted in order).</summary>
    public int Parallelism { get; init; } = 256;

    /// <summary>Raw librdkafka properties applied last, so they override everything above.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    public ProducerSettings WithBootstrapServers(string value) => this with { BootstrapServers = value };

    public ProducerSettings WithClientId(string value) => this with { ClientId = value };

    public ProducerSettings WithLinger(TimeSpan value) => this with { Linger = value };

    public ProducerSettings WithAcks(Acks value) => this with { Acks = value };

    public ProducerSettings WithEnableIdempotence(bool value) => this with { EnableIdempotence = value };

    public ProducerSettings WithParallelism(int value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
        return this with { Parallelism = value };
    }

    public ProducerSettings WithProperty(string key, string value) =>
        this with { Properties = new Dictionary<string, string>(Properties) { [key] = value } };

    /// <summary>
    /// Reads <c>bootstrap-servers</c> (required), <c>client-id</c>, <c>linger</c> (duration), <c>acks</c>
    /// (<c>all</c>, <c>leader</c>/<c>1</c>, <c>none</c>/<c>0</c>), <c>enable-idempotence</c> (defaults to on when
    /// acks is all), <c>parallelism</c> and an optional <c>properties</c> block of raw librdkafka settings.
    /// </summary>
    public static ProducerSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var defaults = new ProducerSettings(KafkaConfigReader.RequireString(config, "bootstrap-servers"));
        var acks = config.GetString("acks", "all").Trim().ToLowerInvariant() switch
        {
            "all" or "-1" => Acks.All,
            "leader" or "1" => Acks.Leader,
            "none" or "0" => Acks.None,
            var other => throw new ConfigurationException($"Kafka producer: unknown acks '{other}'"),
        };
        var settings = defaults with
        {
            ClientId = config.GetString("client-id", defaults.ClientId),
            Linger = KafkaConfigReader.Duration(config, "linger", defaults.Linger),
            Acks = acks,
            EnableIdempotence = config.GetBoolean("enable-idempotence", acks == Acks.All),
            Parallelism = config.GetInt("parallelism", defaults.Parallelism),
            Properties = KafkaConfigReader.Properties(config),
        };
        if (settings.Parallelism < 1)
        {
            throw new ConfigurationException("Kafka producer: parallelism must be at least 1");
        }

        if (settings.EnableIdempotence && settings.Acks != Acks.All)
        {
            throw new ConfigurationException("Kafka producer: enable-idempotence requires acks = all");
        }

        return settings;
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
        };
        foreach (var (key, value) in Properties)
        {
            config.Set(key, value);
        }

        return config;
    }
}
