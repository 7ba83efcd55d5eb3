using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>
/// Builds Confluent clients, turning librdkafka's refusal of a configuration into a
/// <see cref="KafkaClientConfigException"/>, so a caller can tell a wrong setting from a broker that failed.
/// </summary>
public static class KafkaClients
{
    /// <summary>A producer with raw byte keys and values; the caller disposes it.</summary>
    public static IProducer<byte[]?, byte[]?> Producer(ProducerConfig config) =>
        Build("producer", config, () => new ProducerBuilder<byte[]?, byte[]?>(config).Build());

    /// <summary>A consumer with raw byte keys and values; the caller closes and disposes it.</summary>
    public static IConsumer<byte[]?, byte[]?> Consumer(ConsumerConfig config) =>
        Build("consumer", config, () => new ConsumerBuilder<byte[]?, byte[]?>(config).Build());

    /// <summary>An admin client; the caller disposes it.</summary>
    public static IAdminClient Admin(AdminClientConfig config) =>
        Build("admin client", config, () => new AdminClientBuilder(config).Build());

    /// <summary>
    /// Runs <paramref name="build"/> (a Confluent builder's <c>Build</c> over <paramref name="config"/>). Confluent
    /// reports a refused property as <see cref="ArgumentException"/> and a configuration librdkafka cannot start
    /// with as <see cref="InvalidOperationException"/>; both become a <see cref="KafkaClientConfigException"/>.
    /// </summary>
    public static T Build<T>(string client, ClientConfig config, Func<T> build)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(build);
        try
        {
            return build();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new KafkaClientConfigException($"Kafka {client} configuration refused: {ClientProperties.Redact(ex.Message, config)}");
        }
    }
}
