namespace TrafficActors.Rules;

/// <summary>
/// Result of checking one event: the violated rules (empty when clean) and the car's next rule state. A value, so
/// checking an event allocates no verdict.
/// </summary>
public readonly record struct RuleVerdict(int ExpectedGear, IReadOnlyList<string> Violations, CarRuleState NextState)
{
    public bool IsAlert => Violations.Count > 0;
}
