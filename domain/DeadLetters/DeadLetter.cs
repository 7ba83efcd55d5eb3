namespace TrafficActors.DeadLetters;

/// <summary>
/// One record of the dead-letter topic as the operator verbs see it: where it sits, when it was rejected and why,
/// and the head of the original key and payload.
/// </summary>
/// <param name="Time">The record's timestamp (when it was dead-lettered); null when the broker gave none.</param>
/// <param name="Payload">The payload's first bytes, as many as the reader keeps; all of it when short enough.</param>
/// <param name="PayloadBytes">The payload's size on the topic.</param>
/// <param name="Reason">The <c>dlq-reason</c> header; null when the record carries none.</param>
public sealed record DeadLetter(int Partition, long Offset, DateTimeOffset? Time, byte[]? Key, byte[] Payload, int PayloadBytes, string? Reason)
{
    /// <summary>Topic, partition and offset the rejected record was read from (the <c>dlq-source-*</c> headers).</summary>
    public string? SourceTopic { get; init; }

    public int? SourcePartition { get; init; }

    public long? SourceOffset { get; init; }

    /// <summary>The original payload's size when the ingest stream had to cut it to fit the dead-letter topic.</summary>
    public long? OriginalSize { get; init; }

    /// <summary>Whether <see cref="Payload"/> is shorter than what the topic holds.</summary>
    public bool PayloadCut => Payload.Length < PayloadBytes;
}
