using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>
/// When each assigned partition last made progress, and which ones the source found stalled. Pure bookkeeping
/// on the polling thread (times are milliseconds of a monotonic clock passed in); the runner asks the broker
/// whether a silent partition is really behind and decides what to do.
/// </summary>
internal sealed class StallWatchdog
{
    private readonly long _timeoutMs;
    private readonly long _checkEveryMs;
    private readonly Dictionary<TopicPartition, long> _lastProgress = new();
    private readonly HashSet<TopicPartition> _stalled = new();
    private long _heldUntil = long.MinValue;
    private long _nextCheck = long.MinValue;

    public StallWatchdog(TimeSpan timeout)
    {
        _timeoutMs = (long)timeout.TotalMilliseconds;

        // Often enough that a stall is seen within a quarter of the timeout after it is due, rarely enough that the
        // broker queries it may cost stay negligible.
        _checkEveryMs = Math.Max(1, _timeoutMs / 4);
    }

    public bool Enabled => _timeoutMs > 0;

    /// <summary>True once a stall was healed on this consumer: the next one fails the source.</summary>
    public bool HealedBefore { get; private set; }

    /// <summary>Partitions found stalled that have not returned a message since.</summary>
    public IReadOnlyCollection<TopicPartition> Stalled => _stalled;

    /// <summary>The assignment changed: new partitions start their clock now, gone ones are forgotten.</summary>
    public void Assigned(IReadOnlyCollection<TopicPartition> assignment, long now)
    {
        foreach (var gone in _lastProgress.Keys.Where(tp => !assignment.Contains(tp)).ToList())
        {
            _lastProgress.Remove(gone);
            _stalled.Remove(gone);
        }

        foreach (var tp in assignment)
        {
            _lastProgress.TryAdd(tp, now);
        }
    }

    /// <summary>A message arrived; true when the partition had been found stalled (it is healthy again).</summary>
    public bool Progressed(TopicPartition tp, long now)
    {
        _lastProgress[tp] = now;
        return _stalled.Count > 0 && _stalled.Remove(tp);
    }

    /// <summary>Whether the partition delivered (or was re-assigned, or caught up) after <paramref name="time"/>.</summary>
    public bool ProgressedSince(TopicPartition tp, long time) => !_lastProgress.TryGetValue(tp, out var last) || last > time;

    /// <summary>The source itself holds fetching back (paused, buffer full, stopping): silence is expected.</summary>
    public void Hold(long now) => _heldUntil = now;

    /// <summary>A silent partition turned out to be caught up with the broker: nothing to fetch, not a stall.</summary>
    public void CaughtUp(TopicPartition tp, long now)
    {
        _lastProgress[tp] = now;
        _stalled.Remove(tp);
    }

    /// <summary>Partitions silent for the whole timeout, at most once per check interval.</summary>
    public IReadOnlyList<TopicPartition> Due(long now)
    {
        if (!Enabled || now < _nextCheck)
        {
            return Array.Empty<TopicPartition>();
        }

        _nextCheck = now + _checkEveryMs;
        var due = new List<TopicPartition>();
        foreach (var (tp, last) in _lastProgress)
        {
            if (now - Math.Max(last, _heldUntil) >= _timeoutMs)
            {
                due.Add(tp);
            }
        }

        return due;
    }

    /// <summary>Records partitions found stalled and healed; their clocks restart so a heal gets a full timeout.</summary>
    public void Healing(IEnumerable<TopicPartition> partitions, long now)
    {
        HealedBefore = true;
        foreach (var tp in partitions)
        {
            _stalled.Add(tp);
            _lastProgress[tp] = now;
        }
    }
}
