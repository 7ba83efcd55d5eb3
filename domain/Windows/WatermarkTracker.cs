namespace TrafficActors.Windows;

/// <summary>
/// The event-time progress of the raw-data partitions one ingest node consumes. For each assigned partition it
/// keeps the highest event time among the records whose alerts are durably counted and when a record of it was
/// last consumed. A partition with no record for the idle timeout (and none being processed) is idle: it stops
/// holding the watermark back, so one quiet partition does not stop every window from closing. Revoked partitions
/// are forgotten; their new owner reports them. What time it is comes from the <see cref="TimeProvider"/>.
/// </summary>
public sealed class WatermarkTracker(TimeSpan idleTimeout, TimeProvider time)
{
    private readonly Dictionary<int, Entry> _partitions = new();

    /// <summary>Partitions currently tracked (assigned, or seen in a record since).</summary>
    public IReadOnlyCollection<int> Partitions => _partitions.Keys;

    /// <summary>
    /// Makes the tracked partitions exactly <paramref name="assigned"/>: new ones start with no event time (so they
    /// hold the watermark back until they have records or turn idle), revoked ones are forgotten.
    /// </summary>
    public void Assign(IEnumerable<int> assigned)
    {
        var keep = new HashSet<int>(assigned);
        foreach (var p in _partitions.Keys.Where(p => !keep.Contains(p)).ToArray()) _partitions.Remove(p);
        foreach (var p in keep) Get(p);
    }

    /// <summary>Records of the partition were consumed; their alerts are not counted yet.</summary>
    public void Consumed(int partition, int records = 1)
    {
        var e = Get(partition);
        e.InFlight += records;
        e.ActiveAt = time.GetUtcNow();
    }

    /// <summary>
    /// Records consumed earlier are fully processed; <paramref name="highest"/> is the highest event time among
    /// them (null when none had one, e.g. all rejected). Records must be reported in consumption order per
    /// partition, or a later record's event time would pass an earlier one still in flight.
    /// </summary>
    public void Processed(int partition, int records, DateTimeOffset? highest)
    {
        // A partition revoked meanwhile: its new owner reports it.
        if (!_partitions.TryGetValue(partition, out var e)) return;
        e.InFlight = Math.Max(0, e.InFlight - records);
        if (highest is { } h && (e.Highest is null || h > e.Highest)) e.Highest = h;
        e.ActiveAt = time.GetUtcNow();
    }

    /// <summary>What this node reports of each partition it tracks, by partition.</summary>
    public IReadOnlyList<PartitionWatermark> Report()
    {
        var now = time.GetUtcNow();
        return _partitions.OrderBy(kv => kv.Key)
            .Select(kv => new PartitionWatermark(kv.Key, kv.Value.Highest, kv.Value.InFlight == 0 && now - kv.Value.ActiveAt >= idleTimeout))
            .ToArray();
    }

    /// <summary>The watermark over this node's partitions alone (<see cref="Combine"/> of its report).</summary>
    public DateTimeOffset? Watermark => Combine(Report());

    /// <summary>
    /// The watermark of a set of partitions: the lowest highest event time over the partitions that are not idle;
    /// null (no watermark: nothing may close) while a partition that is not idle has processed no record. When every
    /// partition is idle, nothing is pending anywhere and the watermark is the highest event time seen at all (null
    /// when none was).
    /// </summary>
    public static DateTimeOffset? Combine(IEnumerable<PartitionWatermark> partitions)
    {
        DateTimeOffset? lowestActive = null, highestIdle = null;
        var active = false;
        foreach (var p in partitions)
        {
            if (p.Idle)
            {
                if (p.Highest is { } h && (highestIdle is null || h > highestIdle)) highestIdle = h;
                continue;
            }

            if (p.Highest is not { } highest) return null;
            active = true;
            if (lowestActive is null || highest < lowestActive) lowestActive = highest;
        }

        return active ? lowestActive : highestIdle;
    }

    private Entry Get(int partition)
    {
        if (!_partitions.TryGetValue(partition, out var e)) _partitions.Add(partition, e = new Entry { ActiveAt = time.GetUtcNow() });
        return e;
    }

    private sealed class Entry
    {
        public DateTimeOffset? Highest { get; set; }

        public DateTimeOffset ActiveAt { get; set; }

        public int InFlight { get; set; }
    }
}
