using TrafficActors.Domain;

namespace TrafficActors.Generator;

/// <summary>A named polyline a simulated car drives back and forth along; positions are looked up by distance.</summary>
internal sealed class FleetRoute
{
    // An equirectangular projection is accurate to well under 1% over a few tens of kilometres, plenty for telemetry.
    private const double MetresPerDegreeLat = 111_320.0;

    private readonly GeoPoint[] _points;
    private readonly double[] _cumulative;

    public FleetRoute(string name, IReadOnlyList<GeoPoint> points)
    {
        if (points.Count < 2)
            throw new ArgumentException("a route needs at least two points", nameof(points));
        Name = name;
        _points = points.ToArray();
        _cumulative = new double[_points.Length];
        for (var i = 1; i < _points.Length; i++)
            _cumulative[i] = _cumulative[i - 1] + DistanceMetres(_points[i - 1], _points[i]);
        Length = _cumulative[^1];
    }

    public string Name { get; }

    /// <summary>Total length in metres.</summary>
    public double Length { get; }

    public IReadOnlyList<GeoPoint> Points => _points;

    /// <summary>The point <paramref name="distance"/> metres from the first vertex (clamped to the route).</summary>
    public GeoPoint PointAt(double distance)
    {
        distance = Math.Clamp(distance, 0, Length);
        var i = Array.BinarySearch(_cumulative, distance);
        if (i >= 0)
            return _points[i];
        var next = ~i;
        var prev = next - 1;
        var span = _cumulative[next] - _cumulative[prev];
        var f = span <= 0 ? 0 : (distance - _cumulative[prev]) / span;
        var a = _points[prev];
        var b = _points[next];
        return new GeoPoint(a.Lat + ((b.Lat - a.Lat) * f), a.Lon + ((b.Lon - a.Lon) * f));
    }

    private static double DistanceMetres(GeoPoint a, GeoPoint b)
    {
        var meanLat = (a.Lat + b.Lat) / 2 * Math.PI / 180;
        var dy = (b.Lat - a.Lat) * MetresPerDegreeLat;
        var dx = (b.Lon - a.Lon) * MetresPerDegreeLat * Math.Cos(meanLat);
        return Math.Sqrt((dx * dx) + (dy * dy));
    }
}
