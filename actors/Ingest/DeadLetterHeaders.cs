namespace TrafficActors.Ingest;

/// <summary>Headers added to every message on the dead-letter topic.</summary>
public static class DeadLetterHeaders
{
    /// <summary>Why the message was rejected (one line, UTF-8).</summary>
    public const string Reason = "dlq-reason";
    public const string SourceTopic = "dlq-source-topic";
    public const string SourcePartition = "dlq-source-partition";
    public const string SourceOffset = "dlq-source-offset";
    /// <summary>Present when the payload had to be cut to fit the producer's size limit; holds the original size.</summary>
    public const string OriginalSize = "dlq-original-size";
}
