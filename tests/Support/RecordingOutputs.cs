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

    public Task PublishEnriched(EnrichedSample sample)
    {
        if (FailWith is { } ex) return Task.FromException(ex);
        Enriched.Enqueue(sample);
        return Task.CompletedTask;
    }

    public Task PublishAlert(Alert alert)
    {
        if (FailWith is { } ex) return Task.FromException(ex);
        Alerts.Enqueue(alert);
        return Task.CompletedTask;
    }
}
