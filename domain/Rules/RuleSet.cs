namespace TrafficActors.Rules;

/// <summary>
/// One version of the detection rules: the thresholds every car gets, and overrides for some car models (keyed
/// "brand model", as enrichment names them, e.g. "Mazda 3"). Immutable, so a node swaps a whole version at once
/// and every event of a batch is judged by one version.
/// </summary>
public sealed class RuleSet
{
    /// <summary>The version of the rules the node's HOCON defines, in force while no rules document exists.</summary>
    public const string DefaultVersion = "default";

    private readonly ModelRules[] _models;

    public RuleSet(string version, RuleSettings defaults, IReadOnlyDictionary<string, RuleSettings> models)
    {
        Version = version;
        Defaults = defaults;
        Default = new RuleEngine(defaults);
        Models = models;
        _models = models.Select(m => new ModelRules(m.Key, new RuleEngine(m.Value))).ToArray();
    }

    public static RuleSet FromDefaults(RuleSettings defaults) => new(DefaultVersion, defaults, new Dictionary<string, RuleSettings>());

    public string Version { get; }

    public RuleSettings Defaults { get; }

    public RuleEngine Default { get; }

    public IReadOnlyDictionary<string, RuleSettings> Models { get; }

    /// <summary>
    /// The rules for a car of this brand and model (null when the car is unknown to the reference data). Overrides are
    /// few, so a scan that compares "brand model" in place beats building the key for every event.
    /// </summary>
    public RuleEngine For(string? brand, string? model)
    {
        if (_models.Length == 0 || brand is null || model is null) return Default;
        foreach (var m in _models)
        {
            var key = m.Key;
            if (key.Length == brand.Length + 1 + model.Length
                && key.StartsWith(brand, StringComparison.OrdinalIgnoreCase)
                && key[brand.Length] == ' '
                && key.EndsWith(model, StringComparison.OrdinalIgnoreCase))
                return m.Engine;
        }

        return Default;
    }

    private sealed record ModelRules(string Key, RuleEngine Engine);
}
