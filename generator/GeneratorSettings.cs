using Akka.Configuration;
using TrafficActors.Reference;

namespace TrafficActors.Generator;

/// <summary>
/// Everything that shapes a generator run. Violation rates are Poisson rates: the expected number of episodes
/// that start per car per minute of event time (0 disables that violation). A busy car (e.g. already speeding)
/// queues a new speed episode instead of dropping it, so the long-run start rate stays close to the setting.
/// </summary>
public sealed record GeneratorSettings
{
    public const string DefaultTopic = "raw-data";

    // Null until set explicitly, so the per-car period follows Cars and Rate unless an operator pins it.
    private readonly TimeSpan? _sampleInterval;

    public GeneratorMode Mode { get; init; } = GeneratorMode.Fleet;

    /// <summary>Fleet size; car ids come from <see cref="SeedFleet.Cars"/> so they match the reference data.</summary>
    public int Cars { get; init; } = 20;

    /// <summary>Events per second over the whole fleet; 0 or less means as fast as possible.</summary>
    public double Rate { get; init; } = 50;

    /// <summary>Stop after this many events; 0 means unbounded.</summary>
    public long Count { get; init; }

    /// <summary>Stop after this much wall-clock time; null means unbounded.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>PRNG seed: the same seed and the same sequence of timestamps give the same events.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// How often each car reports in fleet mode. Defaults to Cars / Rate (so the fleet's combined output equals the
    /// rate), or 1 s when the rate is unbounded. Physics always integrates over the real gap between a car's
    /// samples, so an explicit value that disagrees with Cars / Rate changes the schedule, never the plausibility.
    /// </summary>
    public TimeSpan SampleInterval
    {
        get => _sampleInterval ?? DeriveSampleInterval(Cars, Rate);
        init => _sampleInterval = value;
    }

    /// <summary>True when <see cref="SampleInterval"/> was set rather than derived from Cars and Rate.</summary>
    public bool SampleIntervalIsExplicit => _sampleInterval.HasValue;

    /// <summary>Overspeed episodes (speed &gt; 120 km/h) per car per minute; about 40% last over 30 s.</summary>
    public double OverspeedRate { get; init; } = 0.1;

    /// <summary>Wrong-gear episodes (2..5 samples in a gear one off the expected one) per car per minute.</summary>
    public double WrongGearRate { get; init; } = 0.2;

    /// <summary>Engine-stress episodes (1..3 samples above 6000 rpm) per car per minute.</summary>
    public double EngineStressRate { get; init; } = 0.2;

    /// <summary>Harsh-braking episodes (a drop of 48..70 km/h at 25..32 km/h/s) per car per minute.</summary>
    public double HarshBrakingRate { get; init; } = 0.1;

    public string Topic { get; init; } = DefaultTopic;

    public static TimeSpan DeriveSampleInterval(int cars, double rate) =>
        rate > 0 && cars > 0 ? TimeSpan.FromSeconds(cars / rate) : TimeSpan.FromSeconds(1);

    /// <summary>Reads a <c>traffic.generator</c> section; absent keys keep the defaults above.</summary>
    public static GeneratorSettings FromConfig(Config section)
    {
        ArgumentNullException.ThrowIfNull(section);
        try
        {
            return Read(section).Validate();
        }
        catch (FormatException ex)
        {
            // Akka reports a bad number or duration without the key; the section name at least narrows it down.
            throw new ConfigurationException($"traffic.generator: {ex.Message}", ex);
        }
    }

    private static GeneratorSettings Read(Config section)
    {
        var d = new GeneratorSettings();
        var s = new GeneratorSettings
        {
            Mode = section.HasPath("mode") ? ParseMode(section.GetString("mode")) : d.Mode,
            Cars = section.HasPath("cars") ? section.GetInt("cars") : d.Cars,
            Rate = section.HasPath("rate") ? section.GetDouble("rate") : d.Rate,
            Count = section.HasPath("count") ? section.GetLong("count") : d.Count,
            Duration = section.HasPath("duration") ? ParseOptionalDuration(section, "duration") : d.Duration,
            Seed = section.HasPath("seed") ? section.GetInt("seed") : d.Seed,
            OverspeedRate = section.HasPath("overspeed-rate") ? section.GetDouble("overspeed-rate") : d.OverspeedRate,
            WrongGearRate = section.HasPath("wrong-gear-rate") ? section.GetDouble("wrong-gear-rate") : d.WrongGearRate,
            EngineStressRate = section.HasPath("engine-stress-rate") ? section.GetDouble("engine-stress-rate") : d.EngineStressRate,
            HarshBrakingRate = section.HasPath("harsh-braking-rate") ? section.GetDouble("harsh-braking-rate") : d.HarshBrakingRate,
            Topic = section.HasPath("topic") ? section.GetString("topic") : d.Topic,
        };

        // "auto" (or no key) keeps the interval derived, so changing only cars or rate stays consistent.
        if (section.HasPath("sample-interval") && ParseOptionalDuration(section, "sample-interval") is { } interval)
            s = s with { SampleInterval = interval };

        return s;
    }

    /// <summary>Rejects values the runner or simulator cannot honour; returns this instance for chaining.</summary>
    public GeneratorSettings Validate()
    {
        if (Cars is < 1 or > SeedFleet.MaxCars)
            throw new ConfigurationException($"traffic.generator.cars must be 1..{SeedFleet.MaxCars}, was {Cars}");
        if (double.IsNaN(Rate) || double.IsInfinity(Rate))
            throw new ConfigurationException($"traffic.generator.rate must be a finite number, was {Rate}");
        if (Count < 0)
            throw new ConfigurationException($"traffic.generator.count must be >= 0, was {Count}");
        if (Duration is { } dur && dur <= TimeSpan.Zero)
            throw new ConfigurationException($"traffic.generator.duration must be positive, was {dur}");
        if (SampleInterval <= TimeSpan.Zero)
            throw new ConfigurationException($"traffic.generator.sample-interval must be positive, was {SampleInterval}");
        CheckRate(OverspeedRate, "overspeed-rate");
        CheckRate(WrongGearRate, "wrong-gear-rate");
        CheckRate(EngineStressRate, "engine-stress-rate");
        CheckRate(HarshBrakingRate, "harsh-braking-rate");
        if (string.IsNullOrWhiteSpace(Topic))
            throw new ConfigurationException("traffic.generator.topic must not be empty");
        return this;
    }

    /// <summary>The event source this configuration asks for.</summary>
    public IEventSource CreateSource() => Mode switch
    {
        GeneratorMode.Seed => new SeedModeSource(this),
        _ => new FleetSimulator(this),
    };

    private static void CheckRate(double value, string key)
    {
        // More than one episode per car per second would leave no normal driving to speak of.
        if (double.IsNaN(value) || value < 0 || value > 60)
            throw new ConfigurationException($"traffic.generator.{key} must be 0..60 episodes per car per minute, was {value}");
    }

    private static GeneratorMode ParseMode(string? text) =>
        Enum.TryParse<GeneratorMode>(text?.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new ConfigurationException($"traffic.generator.mode must be 'fleet' or 'seed', was '{text}'");

    // 0, "off", "auto", "infinite" and empty all mean "not set", so one key can express both bounded and unbounded.
    private static TimeSpan? ParseOptionalDuration(Config section, string key)
    {
        var text = section.GetString(key)?.Trim();
        if (string.IsNullOrEmpty(text) || text is "0" || IsWord(text, "off") || IsWord(text, "auto")
            || IsWord(text, "infinite") || IsWord(text, "none"))
            return null;
        var value = section.GetTimeSpan(key, null, allowInfinite: false);
        if (value < TimeSpan.Zero)
            throw new ConfigurationException($"traffic.generator.{key} must not be negative, was '{text}'");
        return value > TimeSpan.Zero ? value : null;
    }

    private static bool IsWord(string text, string word) => string.Equals(text, word, StringComparison.OrdinalIgnoreCase);
}
