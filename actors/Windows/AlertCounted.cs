namespace TrafficActors.Windows;

/// <summary>Reply to <see cref="CountAlert"/>, sent once the outcome is durable.</summary>
public sealed record AlertCounted(string EventId, WindowDecision Decision)
{
    public bool Duplicate => Decision == WindowDecision.Duplicate;
}
