using TrafficActors.Domain;

namespace TrafficActors.Cars;

/// <summary>
/// Handle one telemetry event. Answered with <see cref="SampleProcessed"/> only after every output is durable
/// (topics acknowledged, alert counted), which is what allows the ingest stream to mark the offset processed.
/// <paramref name="Sequence"/> is the sender's correlation number, echoed in the reply (event ids may repeat).
/// </summary>
public sealed record ProcessSample(RawEvent Event, long Sequence = 0) : ICarMessage
{
    public long CarId => Event.CarId;
}
