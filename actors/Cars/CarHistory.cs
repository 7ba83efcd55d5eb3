using TrafficActors.Domain;

namespace TrafficActors.Cars;

/// <summary>
/// What a car remembers beyond its last sample: its alert counts by rule and its trace. Behind one field of the
/// actor, created at the car's first alert or second sample, so a car seen once without an alert (most of an idle
/// fleet) pays a single null reference for both.
/// </summary>
internal sealed class CarHistory
{
    public Dictionary<string, long>? AlertsByRule { get; set; }

    public SampleTrace? Trace { get; set; }
}
