namespace TrafficActors.Domain;

/// <summary>A WGS-84 position; optional on every event because the seed's generator sent none.</summary>
public sealed record GeoPoint(double Lat, double Lon);
