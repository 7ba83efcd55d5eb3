namespace TrafficActors.Kafka;

/// <summary>What a record's <c>traceparent</c> header says (<see cref="TraceParentHeader.Read"/>).</summary>
public enum TraceParentState
{
    /// <summary>No header: whoever consumes the record decides whether to trace it.</summary>
    Absent,

    /// <summary>A header that is not W3C trace context; treated like no header.</summary>
    Malformed,

    /// <summary>The trace's first producer decided not to record it.</summary>
    Unsampled,

    /// <summary>Part of a recorded trace.</summary>
    Sampled,
}
