using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>Producers built from <see cref="ProducerSettings"/>.</summary>
public static class KafkaProducer
{
    /// <summary>
    /// Builds a producer with raw byte keys and values from <paramref name="settings"/>; the caller disposes it.
    /// Delivery guarantee of the producer itself: with idempotence (the default) librdkafka retries without
    /// duplicating or reordering within a partition; ProduceAsync completes only with the broker's acknowledgement.
    /// A configuration librdkafka refuses throws <see cref="KafkaClientConfigException"/>.
    /// </summary>
    public static IProducer<byte[]?, byte[]?> CreateProducer(ProducerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = settings.ToProducerConfig();
        return KafkaClients.Build("producer", config, () =>
        {
            var builder = new ProducerBuilder<byte[]?, byte[]?>(config);
            if (settings.StatisticsReceived is { } statistics) builder.SetStatisticsHandler((_, json) => statistics(json));
            return builder.Build();
        });
    }
}
