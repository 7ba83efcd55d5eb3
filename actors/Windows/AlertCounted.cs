namespace TrafficActors.Windows;

/// <summary>Reply to <see cref="CountAlert"/>; <c>Duplicate</c> when the event had been counted before.</summary>
public sealed record AlertCounted(string EventId, bool Duplicate);
