using System.Diagnostics.Metrics;
using TrafficActors.Kafka;

namespace TrafficActors.Metrics;

/// <summary>
/// Gauges whose values cost a round trip (Kafka offsets, shard region state): a refresher stores the latest
/// reading here and the exporter observes it at scrape time.
/// </summary>
public sealed class NodeGauges
{
    // Distinct from zero: no cars role, or the first refresh is still pending.
    private const int NotMeasured = -1;
    private volatile IReadOnlyList<PartitionLag> _lag = [];
    private int _carEntities = NotMeasured;

    public NodeGauges(Meter meter)
    {
        meter.CreateObservableGauge(MetricNames.ConsumerLag, ObserveLag, description: "Messages in the raw topic not yet committed by the consumer group, per partition");
        meter.CreateObservableGauge(MetricNames.CarEntities, ObserveCarEntities, description: "Car actors alive on this node");
    }

    public void ReportLag(IReadOnlyList<PartitionLag> lag) => _lag = lag;

    public void ReportCarEntities(int count) => Volatile.Write(ref _carEntities, count);

    private IEnumerable<Measurement<long>> ObserveLag() =>
        _lag.Select(p => new Measurement<long>(
            p.Lag,
            new KeyValuePair<string, object?>(MetricNames.TopicTag, p.Topic),
            new KeyValuePair<string, object?>(MetricNames.PartitionTag, p.Partition)));

    private IEnumerable<Measurement<int>> ObserveCarEntities() =>
        Volatile.Read(ref _carEntities) is var n and not NotMeasured ? [new Measurement<int>(n)] : [];
}
