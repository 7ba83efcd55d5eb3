namespace TrafficActors.Ingest;

/// <summary>Headers added to every message on the dead-letter topic, and the one that marks a record sent back from it.</summary>
public static class DeadLetterHeaders
{
    /// <summary>Why the message was rejected (one line, UTF-8).</summary>
    public const string Reason = "dlq-reason";
    public const string SourceTopic = "dlq-source-topic";
    public const string SourcePartition = "dlq-source-partition";
    public const string SourceOffset = "dlq-source-offset";
    /// <summary>Present when the payload had to be cut to fit the producer's size limit; holds the original size.</summary>
    public const string OriginalSize = "dlq-original-size";
    /// <summary>
    /// On <c>raw-data</c>: the record was sent back by <c>traffic dlq redrive</c>; holds the dead-letter topic's name.
    /// The ingest stream reads it like any other record; should it be rejected again, the header travels with it
    /// onto the dead-letter topic, so a record that keeps coming back is recognisable.
    /// </summary>
    public const string RedrivenFrom = "redriven-from";
}
