namespace TrafficActors.Windows;

/// <summary>
/// What a window keeps of one alert: enough to rebuild its figures and to recognise a redelivery. The event id is
/// kept as a 64-bit hash (collision odds ~1e-9 for a million alerts in one window) so dedupe sets stay small.
/// </summary>
public sealed record CountedAlert(ulong IdHash, string Color, string[] Rules, double Speed, int Gear, int Rpm);
