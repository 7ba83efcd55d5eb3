using System.Collections.Concurrent;
using Confluent.Kafka;
using TrafficActors.Domain;

namespace TrafficActors.Tests.Soak;

/// <summary>
/// Notes when each alert first appeared on <c>alert-data</c>: with the produce time of its raw event, that is the
/// end-to-end latency the soak reports (raw-data produce → alert published by its car actor).
/// </summary>
internal sealed class AlertWatcher(string bootstrap, string topic) : TopicTail(bootstrap, topic, Offset.End)
{
    public ConcurrentDictionary<string, DateTime> FirstSeen { get; } = new(StringComparer.Ordinal);

    protected override void OnRecord(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (record.Message.Value is { } value) FirstSeen.TryAdd(WireFormat.ReadAlert(value).Sample.EventId, DateTime.UtcNow);
    }
}
