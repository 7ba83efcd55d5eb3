using System.Diagnostics;

namespace TrafficActors.Generator;

/// <summary>
/// Where traced events start: the generator's send of each record to raw-data is the root of that event's trace.
/// Nothing is recorded unless the command that runs the generator listens to <see cref="Source"/>.
/// </summary>
public static class GeneratorTracing
{
    public const string SourceName = "TrafficActors.Generator";

    public static readonly ActivitySource Source = new(SourceName);
}
