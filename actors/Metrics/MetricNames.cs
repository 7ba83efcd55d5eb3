namespace TrafficActors.Metrics;

/// <summary>
/// Names of the node's System.Diagnostics.Metrics instruments. Exporters derive the Prometheus names from them
/// (dots become underscores), so these are part of the operations contract documented in the README.
/// </summary>
public static class MetricNames
{
    public const string PipelineMeter = "TrafficActors.Pipeline";

    public const string Seconds = "s";

    public const string EventsConsumed = "traffic.events.consumed";
    public const string EventsProcessed = "traffic.events.processed";
    public const string Alerts = "traffic.alerts";
    public const string DeadLettered = "traffic.dlq.entries";
    public const string UnknownCars = "traffic.unknown.cars";
    public const string LateAlerts = "traffic.windows.late.alerts";
    public const string WindowDuplicates = "traffic.windows.duplicates";
    public const string WindowJournalOutage = "traffic.windows.journal.outage";
    public const string WindowJournalFailures = "traffic.windows.journal.failures";
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

    public const string TopicTag = "topic";
    public const string PartitionTag = "partition";
}
