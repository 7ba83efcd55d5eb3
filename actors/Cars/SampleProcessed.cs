namespace TrafficActors.Cars;

/// <summary>Reply to <see cref="ProcessSample"/>, carrying its <see cref="ProcessSample.Sequence"/>.</summary>
public sealed record SampleProcessed(string EventId, IReadOnlyList<string> Violations, long Sequence = 0);
