using Confluent.Kafka;

namespace TrafficActors.Generator;

/// <summary>Tallies delivery reports, which librdkafka raises on its own thread.</summary>
internal sealed class DeliveryCounter
{
    private long _delivered;
    private long _failed;

    public DeliveryCounter() => Handler = OnReport;

    /// <summary>One cached delegate, so producing does not allocate a closure per message.</summary>
    public Action<DeliveryReport<byte[]?, byte[]?>> Handler { get; }

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Counts a message the producer rejected before it ever reached the queue.</summary>
    public void AddFailed() => Interlocked.Increment(ref _failed);

    private void OnReport(DeliveryReport<byte[]?, byte[]?> report)
    {
        if (report.Error.IsError)
            Interlocked.Increment(ref _failed);
        else
            Interlocked.Increment(ref _delivered);
    }
}
