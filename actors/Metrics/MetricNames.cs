namespace TrafficActors.Metrics;

/// <summary>
/// Names of the node's System.Diagnostics.Metrics instruments. The OpenTelemetry Prometheus exporter derives the
/// Prometheus names from them (dots become underscores, counters end in <c>_total</c>, seconds in <c>_seconds</c>),
/// so these are part of the operations contract documented in docs/operations.md. Our own carry the
/// <c>traffic.</c> prefix; where OpenTelemetry's semantic conventions define a figure, its name is used instead.
/// </summary>
public static class MetricNames
{
    public const string PipelineMeter = "TrafficActors.Pipeline";

    public const string Seconds = "s";
    public const string Bytes = "By";
    public const string Messages = "{message}";

    public const string EventsConsumed = "traffic.events.consumed";
    public const string EventsProcessed = "traffic.events.processed";
    public const string Alerts = "traffic.alerts";
    public const string RuleViolations = "traffic.rule.violations";
    public const string DeadLettered = "traffic.dlq.entries";
    public const string UnknownCars = "traffic.unknown.cars";
    public const string LateAlerts = "traffic.windows.late.alerts";
    public const string WindowDuplicates = "traffic.windows.duplicates";
    public const string WindowJournalOutage = "traffic.windows.journal.outage";
    public const string WindowJournalFailures = "traffic.windows.journal.failures";
    public const string WindowJournalBreaker = "traffic.windows.journal.breaker";
    public const string ProcessingLatency = "traffic.processing.latency";
    public const string ConsumerLag = "traffic.kafka.consumer.lag";
    public const string ConsumerStalls = "traffic.kafka.consumer.stalls";
    public const string ConsumerPaused = "traffic.kafka.consumer.paused";
    public const string ConsumerBuffered = "traffic.kafka.consumer.buffered";
    public const string ConsumerStalledPartitions = "traffic.kafka.consumer.stalled.partitions";
    public const string CarEntities = "traffic.car.entities";
    public const string CarSamples = "traffic.car.samples";
    public const string CarSamplesRemote = "traffic.car.samples.remote";
    public const string WindowRetries = "traffic.window.retries";

    // From librdkafka's statistics of the ingest consumer and the node's producer.
    public const string BrokerRoundTrip = "traffic.kafka.broker.rtt";
    public const string BrokerRoundTripP99 = "traffic.kafka.broker.rtt.p99";
    public const string BrokerRequestsWaiting = "traffic.kafka.broker.requests.waiting";
    public const string BrokerRequestsInFlight = "traffic.kafka.broker.requests.in_flight";
    public const string ClientQueueMessages = "traffic.kafka.client.queue.messages";
    public const string ClientQueueBytes = "traffic.kafka.client.queue.bytes";
    public const string ClientReplyQueue = "traffic.kafka.client.reply.queue";
    public const string ClientFetchQueue = "traffic.kafka.client.fetch.queue";
    public const string ClientConsumerLag = "traffic.kafka.client.consumer.lag";
    public const string MessagingSent = "messaging.client.sent.messages";
    public const string MessagingConsumed = "messaging.client.consumed.messages";

    // Akka: the cluster as this node sees it, and the shard regions it hosts.
    public const string ClusterMembers = "traffic.cluster.members";
    public const string ClusterUnreachable = "traffic.cluster.unreachable.members";
    public const string Shards = "traffic.sharding.shards";
    public const string Entities = "traffic.sharding.entities";

    public const string NodeReady = "traffic.node.ready";
    public const string NodeReadyCheck = "traffic.node.ready.check";

    public const string PersistenceWrite = "traffic.persistence.write";
    public const string PersistenceWriteFailures = "traffic.persistence.write.failures";

    public const string TopicTag = "topic";
    public const string PartitionTag = "partition";
    public const string RuleTag = "rule";
    public const string ClientTag = "client";
    public const string BrokerTag = "broker";
    public const string StatusTag = "status";
    public const string RegionTag = "region";
    public const string CheckTag = "check";
    public const string StateTag = "state";

    // Semantic-convention attributes of the messaging.* instruments.
    public const string MessagingSystemTag = "messaging.system";
    public const string MessagingDestinationTag = "messaging.destination.name";
    public const string MessagingOperationTag = "messaging.operation.name";
}
