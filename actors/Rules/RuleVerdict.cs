namespace TrafficActors.Rules;

/// <summary>Result of checking one event: the violated rules (empty when clean) and the car's next rule state.</summary>
public sealed record RuleVerdict(int ExpectedGear, IReadOnlyList<string> Violations, CarRuleState NextState)
{
    public bool IsAlert => Violations.Count > 0;
}
