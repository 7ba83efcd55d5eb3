using Confluent.Kafka;

namespace TrafficActors.Kafka;

/// <summary>
/// Per-partition bookkeeping for one assignment of a partition. A new tracker is created each time the
/// partition is assigned, so marks for messages from an earlier assignment can never be stored.
/// </summary>
internal sealed class PartitionTracker
{
    private readonly object _gate = new();

    // Offsets handed downstream in order; with compaction or transaction markers they may have gaps, so the
    // contiguous prefix is "emitted and processed", not "offset + 1".
    private readonly Queue<long> _emitted = new();
    private readonly HashSet<long> _processedAhead = new();
    private long _storable = Offset.Unset.Value;
    private long _stored = Offset.Unset.Value;
    private bool _revoked;

    // Next offset the client should hand out for this partition; read and written by the polling thread only.
    private long _nextPolled = Offset.Unset.Value;

    public PartitionTracker(TopicPartition topicPartition) => TopicPartition = topicPartition;

    public TopicPartition TopicPartition { get; }

    public bool IsRevoked
    {
        get
        {
            lock (_gate)
            {
                return _revoked;
            }
        }
    }

    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _revoked ? 0 : _emitted.Count;
            }
        }
    }

    /// <summary>
    /// Whether a record the client just returned is new in this assignment. librdkafka can hand a partition's
    /// records out again from an earlier position (its fetch position lost around a pause and resume, it falls back
    /// to the committed offset); those records are already on their way downstream, so emitting them again would
    /// break the partition's order. Called by the polling thread only.
    /// </summary>
    public bool Accept(long offset)
    {
        if (_nextPolled != Offset.Unset.Value && offset < _nextPolled)
        {
            return false;
        }

        _nextPolled = offset + 1;
        return true;
    }

    /// <summary>Registers an offset handed downstream; false if the partition was revoked meanwhile.</summary>
    public bool Emit(long offset)
    {
        lock (_gate)
        {
            if (_revoked)
            {
                return false;
            }

            _emitted.Enqueue(offset);
            return true;
        }
    }

    /// <summary>Returns true if the mark counted (partition still assigned).</summary>
    public bool MarkProcessed(long offset)
    {
        lock (_gate)
        {
            if (_revoked)
            {
                return false;
            }

            _processedAhead.Add(offset);
            while (_emitted.TryPeek(out var head) && _processedAhead.Remove(head))
            {
                _emitted.Dequeue();
                _storable = head + 1;
            }

            return true;
        }
    }

    /// <summary>The next offset to store if it advanced since the last call; called by the polling thread only.</summary>
    public bool TryTakeStorable(out long offset)
    {
        // Asked for every partition on every poll: answer the common "nothing new" without the lock that the
        // stream's marks take (that contention was the polling thread's largest cost). _stored is only written
        // by this thread; a stale read of _storable only defers the store to the next poll.
        if (Interlocked.Read(ref _storable) == _stored)
        {
            offset = _stored;
            return false;
        }

        lock (_gate)
        {
            offset = _storable;
            if (_revoked || _storable == _stored)
            {
                return false;
            }

            _stored = _storable;
            return true;
        }
    }

    public void Revoke()
    {
        lock (_gate)
        {
            _revoked = true;
            _emitted.Clear();
            _processedAhead.Clear();
        }
    }
}
