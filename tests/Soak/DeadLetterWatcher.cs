using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using TrafficActors.Ingest;

namespace TrafficActors.Tests.Soak;

/// <summary>
/// What reaches <c>raw-data-dlq</c> during the soak (the oversized poison fills its partitions quickly): key →
/// reason, stored payload size, original size header.
/// </summary>
internal sealed class DeadLetterWatcher(string bootstrap, string topic) : TopicTail(bootstrap, topic, Offset.Beginning)
{
    private int _duplicates;

    public ConcurrentDictionary<string, (string Reason, int StoredBytes, long? OriginalBytes)> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>Redelivered poison is dead-lettered again (at-least-once); counted, not hidden.</summary>
    public int Duplicates => _duplicates;

    protected override void OnRecord(ConsumeResult<byte[]?, byte[]?> record)
    {
        var m = record.Message;
        var key = m.Key is null ? "(no key)" : Encoding.UTF8.GetString(m.Key);
        long? original = Header(m, DeadLetterHeaders.OriginalSize) is { } s ? long.Parse(s, CultureInfo.InvariantCulture) : null;
        if (!Entries.TryAdd(key, (Header(m, DeadLetterHeaders.Reason) ?? "", m.Value?.Length ?? 0, original))) Interlocked.Increment(ref _duplicates);
    }

    private static string? Header(Message<byte[]?, byte[]?> m, string name) =>
        m.Headers?.TryGetLastBytes(name, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;
}
