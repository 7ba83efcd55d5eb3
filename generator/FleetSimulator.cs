using TrafficActors.Domain;
using TrafficActors.Reference;

namespace TrafficActors.Generator;

/// <summary>
/// A fleet of simulated cars driving routes around Tel Aviv. Each call serves the car whose next report is due
/// soonest, so cars report in turn about every <see cref="GeneratorSettings.SampleInterval"/> while the caller sets
/// the overall pace. Physics integrate over the real time between a car's samples, which keeps speed changes
/// plausible against event_time whatever the rate. Violations are injected only as episodes at the configured rates.
/// </summary>
public sealed class FleetSimulator : IEventSource
{
    private readonly SimulatedCar[] _cars;
    private readonly Random _random;
    private readonly PriorityQueue<int, (long Due, int Index)> _schedule = new();
    private readonly long _intervalTicks;
    private bool _scheduled;

    public FleetSimulator(GeneratorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _random = new Random(settings.Seed);
        _intervalTicks = Math.Max(1, settings.SampleInterval.Ticks);
        var routes = TelAvivRoutes.All;
        _cars = SeedFleet.Cars(settings.Cars)
            .Select(c => new SimulatedCar(c.CarId, routes[_random.Next(routes.Count)], _random, settings))
            .ToArray();
    }

    /// <summary>Injected episodes in the event most recently returned (test and diagnostics hook).</summary>
    internal InjectedViolations LastInjected { get; private set; }

    internal IReadOnlyList<SimulatedCar> Cars => _cars;

    /// <summary>How many episodes of one kind have started so far (test and diagnostics hook).</summary>
    internal int EpisodesStarted(InjectedViolations kind) => kind switch
    {
        InjectedViolations.Overspeed => _cars.Sum(c => c.OverspeedEpisodes),
        InjectedViolations.WrongGear => _cars.Sum(c => c.WrongGearEpisodes),
        InjectedViolations.EngineStress => _cars.Sum(c => c.EngineStressEpisodes),
        InjectedViolations.HarshBraking => _cars.Sum(c => c.HarshBrakingEpisodes),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "one single violation kind expected"),
    };

    public RawEvent Next(DateTimeOffset now)
    {
        if (!_scheduled)
        {
            // Stagger the first reports across one interval so the fleet does not report in a burst.
            for (var i = 0; i < _cars.Length; i++)
                _schedule.Enqueue(i, (now.UtcTicks + (_intervalTicks * i / _cars.Length), i));
            _scheduled = true;
        }

        _schedule.TryDequeue(out var index, out var slot);
        _schedule.Enqueue(index, (slot.Due + _intervalTicks, index));

        var car = _cars[index];
        var e = car.Sample(now, SeededUuid.Next(_random), out var injected);
        LastInjected = injected;
        return e;
    }
}
