namespace TrafficActors.Domain;

/// <summary>One point of a car's trace: when, and the speed, engine speed and gear it reported.</summary>
public readonly record struct TracePoint(DateTimeOffset EventTime, double Speed, int Rpm, int Gear);
