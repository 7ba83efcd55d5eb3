using System.Diagnostics.Metrics;
using TrafficActors.Kafka;

namespace TrafficActors.Metrics;

/// <summary>
/// The figures of librdkafka's statistics reports of the ingest consumer and the node's producer, observed at
/// collection time from the latest report each client handed its <see cref="KafkaStatisticsSink"/>: broker round
/// trips, client queues, per-partition consumer lag and the messages sent and consumed (under their OpenTelemetry
/// semantic-convention names).
/// </summary>
public sealed class KafkaClientMetrics
{
    /// <summary><c>client</c> tag of the ingest consumer's figures.</summary>
    public const string IngestClient = "ingest";

    /// <summary><c>client</c> tag of the node producer's figures.</summary>
    public const string ProducerClient = "producer";

    private const string MessagingSystem = "kafka";
    private const string SendOperation = "send";
    private const string PollOperation = "poll";

    public KafkaClientMetrics(Meter meter)
    {
        meter.CreateObservableGauge(MetricNames.BrokerRoundTrip, () => PerBroker(b => b.RoundTripAverage?.TotalSeconds), MetricNames.Seconds,
            "Mean request round trip to each broker over the last statistics interval");
        meter.CreateObservableGauge(MetricNames.BrokerRoundTripP99, () => PerBroker(b => b.RoundTripP99?.TotalSeconds), MetricNames.Seconds,
            "99th percentile of the request round trip to each broker over the last statistics interval");
        meter.CreateObservableGauge(MetricNames.BrokerRequestsWaiting, () => PerBroker(b => (double)b.WaitingRequests),
            description: "Requests waiting to be sent to each broker");
        meter.CreateObservableGauge(MetricNames.BrokerRequestsInFlight, () => PerBroker(b => (double)b.InFlightRequests),
            description: "Requests sent to each broker and not answered yet");
        meter.CreateObservableGauge(MetricNames.ClientQueueMessages, () => PerClient(s => s.QueuedMessages),
            description: "Messages in the client's produce queues, not yet sent or acknowledged");
        meter.CreateObservableGauge(MetricNames.ClientQueueBytes, () => PerClient(s => s.QueuedBytes), MetricNames.Bytes,
            "Size of the messages in the client's produce queues");
        meter.CreateObservableGauge(MetricNames.ClientReplyQueue, () => PerClient(s => s.ReplyQueue),
            description: "Callbacks and events waiting for the application to poll them");
        meter.CreateObservableGauge(MetricNames.ClientFetchQueue, () => PerClient(s => s.Partitions.Where(p => p.Assigned).Sum(p => p.FetchedMessages)),
            description: "Messages the consumer fetched ahead and no poll returned yet");
        meter.CreateObservableGauge(MetricNames.ClientConsumerLag, ObserveLag,
            description: "Per assigned partition: the partition's end minus the ingest consumer's committed offset, as the consumer itself sees it");
        meter.CreateObservableCounter(MetricNames.MessagingSent, () => PerTopic(Producer, SendOperation, p => p.TransmittedMessages), MetricNames.Messages,
            "Messages the node's producer sent, per topic");
        meter.CreateObservableCounter(MetricNames.MessagingConsumed, () => PerTopic(Consumer, PollOperation, p => p.ReceivedMessages), MetricNames.Messages,
            "Messages the ingest consumer fetched, per topic");
    }

    /// <summary>Takes the ingest consumer's reports.</summary>
    public KafkaStatisticsSink Consumer { get; } = new();

    /// <summary>Takes the node producer's reports.</summary>
    public KafkaStatisticsSink Producer { get; } = new();

    private IEnumerable<(string Client, KafkaStatistics Report)> Reports()
    {
        if (Consumer.Latest is { } consumer) yield return (IngestClient, consumer);
        if (Producer.Latest is { } producer) yield return (ProducerClient, producer);
    }

    private IEnumerable<Measurement<long>> PerClient(Func<KafkaStatistics, long> value) =>
        Reports().Select(r => new Measurement<long>(value(r.Report), new KeyValuePair<string, object?>(MetricNames.ClientTag, r.Client)));

    private IEnumerable<Measurement<double>> PerBroker(Func<BrokerStatistics, double?> value) =>
        from r in Reports()
        from b in r.Report.Brokers
        let v = value(b)
        where v is not null
        select new Measurement<double>(
            v.Value,
            new KeyValuePair<string, object?>(MetricNames.ClientTag, r.Client),
            new KeyValuePair<string, object?>(MetricNames.BrokerTag, b.Name));

    private IEnumerable<Measurement<long>> ObserveLag() =>
        Consumer.Latest is not { } report
            ? []
            : report.Partitions.Where(p => p is { Assigned: true, ConsumerLag: not null }).Select(p => new Measurement<long>(
                p.ConsumerLag!.Value,
                new KeyValuePair<string, object?>(MetricNames.TopicTag, p.Topic),
                new KeyValuePair<string, object?>(MetricNames.PartitionTag, p.Partition)));

    private static IEnumerable<Measurement<long>> PerTopic(KafkaStatisticsSink sink, string operation, Func<PartitionStatistics, long> value) =>
        sink.Latest is not { } report
            ? []
            : report.Partitions.GroupBy(p => p.Topic, StringComparer.Ordinal).Select(g => new Measurement<long>(
                g.Sum(value),
                new KeyValuePair<string, object?>(MetricNames.MessagingSystemTag, MessagingSystem),
                new KeyValuePair<string, object?>(MetricNames.MessagingDestinationTag, g.Key),
                new KeyValuePair<string, object?>(MetricNames.MessagingOperationTag, operation)));
}
