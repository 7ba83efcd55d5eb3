namespace TrafficActors.Generator;

/// <summary>Which kind of traffic the generator emits.</summary>
public enum GeneratorMode
{
    /// <summary>Simulated cars driving Tel Aviv routes, with violations injected at configured rates.</summary>
    Fleet,

    /// <summary>Uniform random values like the seed's Python generator, kept to reproduce its load and alert mix.</summary>
    Seed,
}
