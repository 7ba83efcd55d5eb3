namespace TrafficActors.Kafka;

/// <summary>
/// Keeps a client's latest statistics report for whoever reads it later (a metrics exporter at scrape time).
/// librdkafka hands the report to the client's own thread, the consumer's polling thread or the producer's
/// delivery-report thread, so <see cref="Receive"/> only stores the text; it is parsed on the reader's thread, once
/// per report however often it is read.
/// </summary>
public sealed class KafkaStatisticsSink
{
    private volatile string? _received;
    private volatile Parsed? _parsed;

    /// <summary>The statistics callback: give it to <see cref="ConsumerSettings.WithStatistics"/> or <see cref="ProducerSettings.WithStatistics"/>.</summary>
    public void Receive(string json) => _received = json;

    /// <summary>
    /// The newest report that parsed; null before the first one. A report that does not parse leaves the previous
    /// figures in place.
    /// </summary>
    public KafkaStatistics? Latest
    {
        get
        {
            var json = _received;
            if (json is null) return null;
            var parsed = _parsed;
            if (parsed is not null && ReferenceEquals(parsed.Json, json)) return parsed.Statistics;
            // Two readers at once may both parse the same report; either result is the same.
            var statistics = KafkaStatistics.Parse(json) ?? parsed?.Statistics;
            _parsed = new Parsed(json, statistics);
            return statistics;
        }
    }

    private sealed record Parsed(string Json, KafkaStatistics? Statistics);
}
