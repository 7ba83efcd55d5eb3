namespace TrafficActors.Cars;

/// <summary>Reply to <see cref="ProcessSample"/>.</summary>
public sealed record SampleProcessed(string EventId, IReadOnlyList<string> Violations);
