namespace TrafficActors.Rules;

/// <summary>Asks <see cref="RuleSetActor"/> to look at its rules source now rather than at its next poll.</summary>
public sealed class CheckRules
{
    public static readonly CheckRules Instance = new();

    private CheckRules()
    {
    }
}
