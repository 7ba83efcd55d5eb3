namespace TrafficActors.Generator;

/// <summary>
/// Outcome of a run, read after the final flush. <paramref name="Elapsed"/> covers producing only (not the flush)
/// and <paramref name="Rate"/> is the average events per second over it.
/// </summary>
public sealed record GeneratorResult(
    long Produced,
    long Delivered,
    long Failed,
    TimeSpan Elapsed,
    double Rate,
    GeneratorStopReason StopReason)
{
    /// <summary>Events the broker had not acknowledged either way when the flush timed out.</summary>
    public long Pending => Math.Max(0, Produced - Delivered - Failed);
}
