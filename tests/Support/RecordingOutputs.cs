using System.Collections.Concurrent;
using TrafficActors.Cars;
using TrafficActors.Domain;

namespace TrafficActors.Tests.Support;

/// <summary>Unit-test stand-in for the Kafka outputs: records writes and can be told to fail.</summary>
internal sealed class RecordingOutputs : ICarOutputs
{
    public ConcurrentQueue<EnrichedSample> Enriched { get; } = new();

    public ConcurrentQueue<Alert> Alerts { get; } = new();

    public Exception? FailWith { get; set; }

    public void PublishEnriched(EnrichedSample sample, IOutputAck ack)
    {
        if (FailWith is { } ex)
        {
            ack.Failed(ex);
            return;
        }

        Enriched.Enqueue(sample);
        ack.Delivered(alert: false);
    }

    public void PublishAlert(Alert alert, IOutputAck ack)
    {
        if (FailWith is { } ex)
        {
            ack.Failed(ex);
            return;
        }

        Alerts.Enqueue(alert);
        ack.Delivered(alert: true);
    }
}
