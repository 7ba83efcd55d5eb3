using Confluent.Kafka;
using TrafficActors.Kafka;

namespace TrafficActors.Host.DeadLetters;

/// <summary>
/// Catches what librdkafka logs for a short-lived verb instead of letting it print a line per reconnect attempt:
/// the verb ends with one clear line of its own, to which the last warning or error adds the broker's detail.
/// </summary>
public sealed class KafkaClientLog
{
    private volatile string? _last;

    /// <summary>The last warning or error librdkafka logged, or null.</summary>
    public string? LastProblem => _last;

    public void OnLog(IClient client, LogMessage message)
    {
        if (message.Level <= SyslogLevel.Warning) _last = message.Message;
    }

    public void OnError(IClient client, Error error) => _last = error.Reason;

    /// <summary>An admin client whose librdkafka log comes here; the caller disposes it.</summary>
    public IAdminClient Admin(AdminClientConfig config) =>
        KafkaClients.Build("admin client", config, () => new AdminClientBuilder(config).SetLogHandler(OnLog).SetErrorHandler(OnError).Build());

    /// <summary>A consumer with raw byte keys and values whose librdkafka log comes here; the caller disposes it.</summary>
    public IConsumer<byte[]?, byte[]?> Consumer(ConsumerConfig config) =>
        KafkaClients.Build("consumer", config, () => new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogHandler(OnLog).SetErrorHandler(OnError).Build());

    /// <summary>A producer with raw byte keys and values whose librdkafka log comes here; the caller disposes it.</summary>
    public IProducer<byte[]?, byte[]?> Producer(ProducerConfig config) =>
        KafkaClients.Build("producer", config, () => new ProducerBuilder<byte[]?, byte[]?>(config).SetLogHandler(OnLog).SetErrorHandler(OnError).Build());
}
