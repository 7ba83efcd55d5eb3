namespace TrafficActors.Metrics;

/// <summary>
/// Whether this node's window buckets can reach their journal, shared by all of them. An outage starts with the
/// first failed write or recovery and ends with the first success; only those two transitions are worth a log line,
/// so each bucket reports here instead of logging its own failure.
/// </summary>
public sealed class JournalHealth
{
    private long _failures;
    private long _outageFailures;
    private int _down;

    /// <summary>True from a failed journal call until the next successful one.</summary>
    public bool InOutage => Volatile.Read(ref _down) == 1;

    /// <summary>Failed journal writes and recoveries since the node started.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Records a failure; true when it is the one that starts an outage.</summary>
    public bool OnFailure()
    {
        Interlocked.Increment(ref _failures);
        Interlocked.Increment(ref _outageFailures);
        return Interlocked.Exchange(ref _down, 1) == 0;
    }

    /// <summary>Records a success; when it ends an outage, returns how many calls failed during it.</summary>
    public long? OnSuccess()
    {
        if (Volatile.Read(ref _down) == 0 || Interlocked.Exchange(ref _down, 0) == 0) return null;
        return Interlocked.Exchange(ref _outageFailures, 0);
    }
}
