using System.Globalization;

namespace TrafficActors.Tests.Support;

/// <summary>
/// Samples of a Prometheus text exposition: series (name with its labels as written, e.g.
/// <c>traffic_kafka_consumer_lag{partition="0",topic="raw-data"}</c>) to value. A series without labels is keyed by
/// its bare name, whether the exporter wrote <c>name{}</c> or <c>name</c>.
/// </summary>
internal static class PrometheusText
{
    private const string NoLabels = "{}";

    public static Dictionary<string, double> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => (Series: l[..l.LastIndexOf(' ')], Value: l[(l.LastIndexOf(' ') + 1)..]))
            .ToDictionary(
                p => p.Series.EndsWith(NoLabels, StringComparison.Ordinal) ? p.Series[..^NoLabels.Length] : p.Series,
                p => double.Parse(p.Value, NumberStyles.Float, CultureInfo.InvariantCulture),
                StringComparer.Ordinal);
}
