using TrafficActors.Domain;
using TrafficActors.Reference;

namespace TrafficActors.Generator;

/// <summary>
/// The seed's Python generator, reproducibly: a uniformly random car, speed, rpm and gear with no location. Most
/// events break at least one rule, which makes this mode a worst case for the alert path rather than a realistic feed.
/// </summary>
public sealed class SeedModeSource : IEventSource
{
    public const int MaxSpeed = 200;
    public const int MaxRpm = 8000;
    public const int MinGear = 1;
    public const int MaxGear = 7;

    private readonly long[] _carIds;
    private readonly Random _random;

    public SeedModeSource(GeneratorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _carIds = SeedFleet.Cars(settings.Cars).Select(c => c.CarId).ToArray();
        _random = new Random(settings.Seed);
    }

    public RawEvent Next(DateTimeOffset now)
    {
        var carId = _carIds[_random.Next(_carIds.Length)];
        // Whole numbers with both ends included, as random.randint produced in the seed.
        var speed = _random.Next(MaxSpeed + 1);
        var rpm = _random.Next(MaxRpm + 1);
        var gear = _random.Next(MinGear, MaxGear + 1);
        return new RawEvent(SeededUuid.Next(_random), now, carId, speed, rpm, gear);
    }
}
