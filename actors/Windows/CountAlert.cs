using TrafficActors.Domain;

namespace TrafficActors.Windows;

/// <summary>Ask a window bucket to count an alert; answered with <see cref="AlertCounted"/> once it is counted.</summary>
public sealed record CountAlert(string WindowId, DateTimeOffset WindowStart, TimeSpan WindowLength, Alert Alert) : IWindowMessage;
