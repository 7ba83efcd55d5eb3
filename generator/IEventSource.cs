using TrafficActors.Domain;

namespace TrafficActors.Generator;

/// <summary>Produces the next telemetry event; implementations are not thread-safe and are driven by one runner.</summary>
public interface IEventSource
{
    /// <summary>
    /// Returns the next event stamped <paramref name="now"/>. The output depends only on the settings' seed and the
    /// sequence of <paramref name="now"/> values, so a run can be replayed exactly.
    /// </summary>
    RawEvent Next(DateTimeOffset now);
}
