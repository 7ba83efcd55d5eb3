using System.Collections.Concurrent;
using System.Diagnostics;
using TrafficActors.Cars;
using TrafficActors.Domain;

namespace TrafficActors.Tests.Support;

/// <summary>Unit-test stand-in for the Kafka outputs: records writes and can be told to fail.</summary>
internal sealed class RecordingOutputs : ICarOutputs
{
    public ConcurrentQueue<EnrichedSample> Enriched { get; } = new();

    public ConcurrentQueue<Alert> Alerts { get; } = new();

    public Exception? FailWith { get; set; }

    /// <summary>While true, writes are recorded but acknowledged only by <see cref="Release"/> (a slow broker).</summary>
    public bool Hold { get; set; }

    private ConcurrentQueue<(IOutputAck Ack, bool Alert)> Held { get; } = new();

    /// <summary>Acknowledges every held write, in write order.</summary>
    public void Release()
    {
        while (Held.TryDequeue(out var held)) held.Ack.Delivered(held.Alert);
    }

    public void PublishEnriched(EnrichedSample sample, byte[] key, IOutputAck ack, in ActivityContext trace = default)
    {
        if (FailWith is { } ex)
        {
            ack.Failed(ex);
            return;
        }

        Enriched.Enqueue(sample);
        Acknowledge(ack, alert: false);
    }

    public void PublishAlert(Alert alert, EnrichedSample sample, byte[] key, IOutputAck ack, in ActivityContext trace = default)
    {
        if (FailWith is { } ex)
        {
            ack.Failed(ex);
            return;
        }

        Alerts.Enqueue(alert);
        Acknowledge(ack, alert: true);
    }

    private void Acknowledge(IOutputAck ack, bool alert)
    {
        if (Hold) Held.Enqueue((ack, alert));
        else ack.Delivered(alert);
    }
}
