using TrafficActors.Domain;
using TrafficActors.Tracing;

namespace TrafficActors.Cars;

/// <summary>
/// Reply to <see cref="ProcessSamples"/>: every output is durable. <paramref name="Alerts"/> are the events that
/// broke a rule, in event order, for the sender to count in their windows; <paramref name="Traces"/> the traced
/// ones among them (indexes into <paramref name="Alerts"/>, with the car's span), null when none is.
/// </summary>
public sealed record SamplesProcessed(long Sequence, IReadOnlyList<Alert> Alerts, IReadOnlyList<EventTrace>? Traces = null);
