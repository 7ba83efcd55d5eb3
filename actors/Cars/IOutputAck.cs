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
}
