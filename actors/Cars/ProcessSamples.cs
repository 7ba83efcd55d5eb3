using TrafficActors.Domain;
using TrafficActors.Tracing;

namespace TrafficActors.Cars;

/// <summary>
/// Handle a run of one car's telemetry events, in order. Answered once with <see cref="SamplesProcessed"/> after
/// every output of every event is acknowledged by the broker, which is what lets the ingest stream go on to count
/// the alerts and then mark the offsets processed. <paramref name="Sequence"/> is the sender's correlation number,
/// echoed in the reply. <paramref name="Traces"/> are the traced events among them (indexes into
/// <paramref name="Events"/>), null when none is.
/// </summary>
public sealed record ProcessSamples(long CarId, IReadOnlyList<RawEvent> Events, long Sequence, IReadOnlyList<EventTrace>? Traces = null) : ICarMessage
{
    /// <summary>One event on its own.</summary>
    public static ProcessSamples Of(RawEvent e, long sequence = 0) => new(e.CarId, [e], sequence);
}
