using TrafficActors.Domain;
using TrafficActors.Generator;

namespace TrafficActors.Tests.Generator;

/// <summary>Drives a fleet simulator the way a paced runner would, with evenly spaced timestamps and no real waiting.</summary>
internal static class SimulatedRun
{
    public static readonly DateTimeOffset Origin = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static List<(RawEvent Event, InjectedViolations Injected)> Fleet(GeneratorSettings settings, TimeSpan length)
    {
        var simulator = new FleetSimulator(settings);
        var events = (long)(length.TotalSeconds * settings.Rate);
        var result = new List<(RawEvent, InjectedViolations)>((int)events);
        for (long k = 0; k < events; k++)
        {
            var now = Origin.AddTicks((long)(k * TimeSpan.TicksPerSecond / settings.Rate));
            result.Add((simulator.Next(now), simulator.LastInjected));
        }

        return result;
    }

    public static GeneratorSettings WithRates(this GeneratorSettings s, double perCarPerMinute) => s with
    {
        OverspeedRate = perCarPerMinute,
        WrongGearRate = perCarPerMinute,
        EngineStressRate = perCarPerMinute,
        HarshBrakingRate = perCarPerMinute,
    };
}
