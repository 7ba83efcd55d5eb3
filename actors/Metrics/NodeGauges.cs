using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Akka.Cluster;
using TrafficActors.Kafka;

namespace TrafficActors.Metrics;

/// <summary>
/// Gauges of the node as a whole. Those whose values cost a round trip (Kafka offsets, shard region state,
/// readiness, the journal's circuit breaker) are stored here by a refresher and observed at scrape time; cluster
/// membership is read from the cluster's own view at scrape time.
/// </summary>
public sealed partial class NodeGauges
{
    public const string BreakerClosed = "closed";
    public const string BreakerHalfOpen = "half_open";
    public const string BreakerOpen = "open";

    // Distinct from zero: no cars role, or the first refresh is still pending.
    private const int NotMeasured = -1;

    private static readonly string[] BreakerStates = [BreakerClosed, BreakerHalfOpen, BreakerOpen];

    // Every status, each with its label, so a status no member has shows as 0 rather than as a missing series.
    private static readonly (MemberStatus Status, string Label)[] Statuses =
        Enum.GetValues<MemberStatus>().Select(s => (s, SnakeCase(s.ToString()))).ToArray();

    private volatile IReadOnlyList<PartitionLag> _lag = [];
    private int _carEntities = NotMeasured;
    private volatile FrozenDictionary<string, (int Shards, int Entities)> _regions = FrozenDictionary<string, (int, int)>.Empty;
    private volatile Readiness? _readiness;
    private volatile string? _breaker;
    private volatile Cluster? _cluster;

    public NodeGauges(Meter meter)
    {
        meter.CreateObservableGauge(MetricNames.ConsumerLag, ObserveLag, description: "Messages in the raw topic not yet committed by the consumer group, per partition");
        meter.CreateObservableGauge(MetricNames.CarEntities, ObserveCarEntities, description: "Car actors alive on this node");
        meter.CreateObservableGauge(MetricNames.Shards, () => ObserveRegions(r => r.Shards), description: "Shards this node hosts, per shard region type");
        meter.CreateObservableGauge(MetricNames.Entities, () => ObserveRegions(r => r.Entities), description: "Entities (actors) alive on this node, per shard region type");
        meter.CreateObservableGauge(MetricNames.ClusterMembers, ObserveMembers, description: "Cluster members by status, as this node sees the cluster");
        meter.CreateObservableGauge(MetricNames.ClusterUnreachable, ObserveUnreachable, description: "Cluster members this node's failure detector finds unreachable");
        meter.CreateObservableGauge(MetricNames.NodeReady, ObserveReady, description: "1 while this node is ready to receive work (its readiness checks pass), 0 while not");
        meter.CreateObservableGauge(MetricNames.NodeReadyCheck, ObserveChecks, description: "Each readiness check of this node: 1 passing, 0 failing");
        meter.CreateObservableGauge(MetricNames.WindowJournalBreaker, ObserveBreaker, description: "The window journal's circuit breaker: 1 for the state it is in (closed, half_open, open), 0 for the others");
    }

    public void ReportLag(IReadOnlyList<PartitionLag> lag) => _lag = lag;

    public void ReportCarEntities(int count) => Volatile.Write(ref _carEntities, count);

    /// <summary>Shards and entities this node hosts in the shard region of type <paramref name="region"/>.</summary>
    public void ReportRegion(string region, int shards, int entities)
    {
        var regions = new Dictionary<string, (int, int)>(_regions, StringComparer.Ordinal) { [region] = (shards, entities) };
        _regions = regions.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Whether the node is ready, and each check's outcome by name.</summary>
    public void ReportReadiness(bool ready, IReadOnlyList<KeyValuePair<string, bool>> checks) => _readiness = new Readiness(ready, checks);

    /// <summary>The journal's circuit breaker: <see cref="BreakerClosed"/>, <see cref="BreakerHalfOpen"/> or <see cref="BreakerOpen"/>.</summary>
    public void ReportJournalBreaker(string state)
    {
        if (!BreakerStates.Contains(state)) throw new ArgumentOutOfRangeException(nameof(state), state, "not a circuit breaker state");
        _breaker = state;
    }

    /// <summary>From now on, membership figures are read from <paramref name="cluster"/>.</summary>
    public void AttachCluster(Cluster cluster) => _cluster = cluster;

    private IEnumerable<Measurement<long>> ObserveLag() =>
        _lag.Select(p => new Measurement<long>(
            p.Lag,
            new KeyValuePair<string, object?>(MetricNames.TopicTag, p.Topic),
            new KeyValuePair<string, object?>(MetricNames.PartitionTag, p.Partition)));

    private IEnumerable<Measurement<int>> ObserveCarEntities() =>
        Volatile.Read(ref _carEntities) is var n and not NotMeasured ? [new Measurement<int>(n)] : [];

    private IEnumerable<Measurement<int>> ObserveRegions(Func<(int Shards, int Entities), int> value) =>
        _regions.Select(r => new Measurement<int>(value(r.Value), new KeyValuePair<string, object?>(MetricNames.RegionTag, r.Key)));

    private IEnumerable<Measurement<int>> ObserveMembers()
    {
        if (_cluster?.State is not { } state) return [];
        return Statuses.Select(s => new Measurement<int>(
            state.Members.Count(m => m.Status == s.Status), new KeyValuePair<string, object?>(MetricNames.StatusTag, s.Label)));
    }

    private IEnumerable<Measurement<int>> ObserveUnreachable() =>
        _cluster?.State is { } state ? [new Measurement<int>(state.Unreachable.Count)] : [];

    private IEnumerable<Measurement<int>> ObserveReady() =>
        _readiness is { } r ? [new Measurement<int>(r.Ready ? 1 : 0)] : [];

    private IEnumerable<Measurement<int>> ObserveChecks() =>
        _readiness is { } r
            ? r.Checks.Select(c => new Measurement<int>(c.Value ? 1 : 0, new KeyValuePair<string, object?>(MetricNames.CheckTag, c.Key)))
            : [];

    private IEnumerable<Measurement<int>> ObserveBreaker() =>
        _breaker is { } current
            ? BreakerStates.Select(s => new Measurement<int>(s == current ? 1 : 0, new KeyValuePair<string, object?>(MetricNames.StateTag, s)))
            : [];

    private static string SnakeCase(string name) => UpperCase().Replace(name, m => (m.Index > 0 ? "_" : "") + m.Value.ToLowerInvariant());

    [GeneratedRegex("[A-Z]")]
    private static partial Regex UpperCase();

    private sealed record Readiness(bool Ready, IReadOnlyList<KeyValuePair<string, bool>> Checks);
}
