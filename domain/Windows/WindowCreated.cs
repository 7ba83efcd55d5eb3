namespace TrafficActors.Windows;

/// <summary>Persisted event: the window bucket's start and length, written once when it first counts.</summary>
public sealed record WindowCreated(DateTimeOffset Start, TimeSpan Length);
