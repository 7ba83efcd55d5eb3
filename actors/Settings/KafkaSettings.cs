using Akka.Configuration;
using Confluent.Kafka;
using TrafficActors.Domain;
using TrafficActors.Kafka;

namespace TrafficActors.Settings;

/// <summary>
/// Kafka topics, partitions and client sections of <c>traffic.kafka</c>, and the one place that turns them into the
/// configuration of every Kafka client the system makes. Raw librdkafka properties are layered, later over earlier:
/// <c>traffic.kafka.properties</c> (every client), then <c>consumer.properties</c> over the embedded broker's
/// profile (every consumer) or <c>producer.properties</c> (every producer). The ingest consumer and the producers
/// take their typed settings (group, client id, timeouts) from their sections beneath all of them; a lag reader, a
/// tool or an admin client sets its own client id and group over them.
/// </summary>
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
    /// <summary><c>traffic.kafka.properties</c>: librdkafka properties of every consumer, producer and admin client.</summary>
    public ClientProperties Common { get; init; } = ClientProperties.Empty;

    public bool UseEmbedded => string.IsNullOrWhiteSpace(BootstrapServers);

    /// <summary>The topic closed windows' final figures go to (<c>topics.windows</c>).</summary>
    public string WindowsTopic { get; init; } = "";

    public int WindowsPartitions { get; init; }

    /// <summary>cleanup.policy of the windows topic when this system creates it.</summary>
    public string WindowsCleanupPolicy { get; init; } = "";

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
        k.GetInt("embedded.control-port", 0))
    {
        Common = ClientProperties.FromConfig(k),
        WindowsTopic = k.GetString("topics.windows"),
        WindowsPartitions = k.GetInt("partitions.windows"),
        WindowsCleanupPolicy = k.GetString("windows-cleanup-policy"),
    };

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
    /// on, over the common properties, plus the bootstrap servers in force.
    /// </summary>
    public Kafka.ConsumerSettings ToConsumerSettings() =>
        Kafka.ConsumerSettings.FromConfig(WithServers(EmbeddedProfile ? Consumer.WithFallback(EmbeddedConsumer) : Consumer))
            .WithCommonProperties(Common);

    /// <summary>
    /// Settings of every producer (the node's, <c>traffic generate</c>'s, the benchmark's): the <c>producer</c>
    /// section over the common properties, plus the bootstrap servers in force.
    /// </summary>
    public Kafka.ProducerSettings ToProducerSettings() =>
        Kafka.ProducerSettings.FromConfig(WithServers(Producer)).WithCommonProperties(Common);

    /// <summary>
    /// A consumer that reads offsets or records outside the ingest stream (the lag reader, tools): the ingest
    /// consumer's properties, then its own client id and group, without auto-commit, since such a consumer must
    /// never move the group's offsets.
    /// </summary>
    public ConsumerConfig ToConsumerConfig(string clientId, string groupId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        return new ConsumerConfig(new Dictionary<string, string>(ToConsumerSettings().Properties))
        {
            BootstrapServers = BootstrapServers,
            ClientId = clientId,
            GroupId = groupId,
            EnableAutoCommit = false,
        };
    }

    /// <summary>An admin client (topic creation, metadata): the common properties, then the bootstrap servers in force and its client id.</summary>
    public AdminClientConfig ToAdminConfig(string clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        var config = Common.ApplyTo(new AdminClientConfig());
        config.BootstrapServers = BootstrapServers;
        config.ClientId = clientId;
        return config;
    }

    private Akka.Configuration.Config WithServers(Akka.Configuration.Config section) =>
        Akka.Configuration.ConfigurationFactory
            .ParseString("bootstrap-servers = " + System.Text.Json.JsonSerializer.Serialize(BootstrapServers, TrafficJson.Default.String))
            .WithFallback(section);
}
