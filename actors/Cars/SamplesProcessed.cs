using TrafficActors.Domain;

namespace TrafficActors.Cars;

/// <summary>
/// Reply to <see cref="ProcessSamples"/>: every output is durable. <paramref name="Alerts"/> are the events that
/// broke a rule, in event order, for the sender to count in their windows.
/// </summary>
public sealed record SamplesProcessed(long Sequence, IReadOnlyList<Alert> Alerts);
