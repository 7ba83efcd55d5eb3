namespace TrafficActors.Windows;

/// <summary>
/// The watermark of the whole raw-data topic as one node sees it, from the reports every ingest node publishes of
/// its own partitions. A window may close only when no partition can still bring it an on-time alert, so:
/// <list type="bullet">
/// <item>there is no watermark until every partition of the topic is reported by some node (a node that has just
/// started, or a partition whose owner died and has no new one yet, holds every window open);</item>
/// <item>a partition reported by several nodes (ownership moving) counts with its highest event time, and as idle
/// only when every report says so;</item>
/// <item>a node's report is replaced by its next one and dropped once older than the stale limit (the node left
/// or its stream stopped), which makes its partitions unknown again until their new owner reports them;</item>
/// <item>the watermark never goes back: a lower value computed later (a new owner resuming from committed offsets)
/// does not reopen anything.</item>
/// </list>
/// </summary>
public sealed class ClusterWatermark(int partitions, TimeSpan staleAfter, TimeProvider time)
{
    private readonly Dictionary<string, (DateTimeOffset At, IReadOnlyList<PartitionWatermark> Partitions)> _reports = new(StringComparer.Ordinal);

    /// <summary>The highest watermark computed so far; null while none could be.</summary>
    public DateTimeOffset? Current { get; private set; }

    /// <summary>Takes a node's report of its partitions, replacing its previous one.</summary>
    public void Report(string node, IReadOnlyList<PartitionWatermark> reported) => _reports[node] = (time.GetUtcNow(), reported);

    /// <summary>Recomputes the watermark from the reports not yet stale; returns <see cref="Current"/>.</summary>
    public DateTimeOffset? Update()
    {
        var now = time.GetUtcNow();
        foreach (var node in _reports.Where(kv => now - kv.Value.At > staleAfter).Select(kv => kv.Key).ToArray()) _reports.Remove(node);

        var merged = new Dictionary<int, PartitionWatermark>();
        foreach (var (_, report) in _reports.Values)
        {
            foreach (var p in report)
            {
                if (p.Partition < 0 || p.Partition >= partitions) continue;
                merged[p.Partition] = merged.TryGetValue(p.Partition, out var known) ? Merge(known, p) : p;
            }
        }

        if (merged.Count < partitions) return Current;
        if (WatermarkTracker.Combine(merged.Values) is { } w && (Current is null || w > Current)) Current = w;
        return Current;
    }

    private static PartitionWatermark Merge(PartitionWatermark a, PartitionWatermark b)
    {
        var highest = a.Highest is null ? b.Highest : b.Highest is null ? a.Highest : a.Highest > b.Highest ? a.Highest : b.Highest;
        return new PartitionWatermark(a.Partition, highest, a.Idle && b.Idle);
    }
}
