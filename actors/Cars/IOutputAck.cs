namespace TrafficActors.Cars;

/// <summary>
/// Hears how one output write of a car ended: called once per write, from the producer's delivery thread (or on
/// the caller's thread when the write failed before it was queued).
/// </summary>
public interface IOutputAck
{
    /// <summary>The write is durable; <paramref name="alert"/> tells an alert from an enriched sample.</summary>
    void Delivered(bool alert);

    void Failed(Exception error);

    /// <summary>
    /// Kept for the outputs' own use: one acknowledgement serves all writes of a batch, so the outputs can build
    /// their per-write callbacks once per batch instead of once per record.
    /// </summary>
    object? OutputState { get; set; }
}
