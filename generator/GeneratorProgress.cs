namespace TrafficActors.Generator;

/// <summary>
/// A snapshot during a run. Delivered and failed trail produced by the broker round trip; <paramref name="Rate"/> is
/// events per second over the last reporting window, so it shows stalls that a run-long average would hide.
/// </summary>
public sealed record GeneratorProgress(long Produced, long Delivered, long Failed, TimeSpan Elapsed, double Rate);
