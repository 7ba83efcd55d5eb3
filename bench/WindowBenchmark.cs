using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Streams;
using Akka.Streams.Dsl;
using TrafficActors.Domain;
using TrafficActors.Metrics;
using TrafficActors.Settings;
using TrafficActors.Windows;

namespace TrafficActors.Bench;

/// <summary>
/// Measures the durable aggregation path alone: alerts asked into window buckets that persist to the configured
/// database, counted when acknowledged (i.e. durable). Mirrors what car actors do, without Kafka in the way.
/// </summary>
public static class WindowBenchmark
{
    public sealed record Result(long Alerts, TimeSpan Elapsed, double AlertsPerSecond, double P50Ms, double P99Ms, long DbBytes);

    public static async Task<Result> RunAsync(PersistenceSettings persistence, string dataDir, int alerts, int buckets, int parallelism, CancellationToken ct)
    {
        Directory.CreateDirectory(dataDir);
        PersistenceHocon.PrepareSqlite(persistence, dataDir);
        var config = Akka.Configuration.ConfigurationFactory.ParseString(PersistenceHocon.Build(persistence, dataDir) + """

            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.port = 0
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.loglevel = WARNING
            """).WithFallback(TrafficConfig.Load());
        var settings = TrafficSettings.FromConfig(config).Windows;
        using var system = ActorSystem.Create("bench", config);
        try
        {
            var cluster = Cluster.Get(system);
            cluster.Join(cluster.SelfAddress);
            var start = WindowKey.StartOf(DateTimeOffset.UtcNow, settings.Length);
            var run = Guid.NewGuid().ToString("N")[..8];
            var aggregators = Enumerable.Range(0, buckets)
                .Select(b => system.ActorOf(WindowAggregatorActor.Props(new WindowKey(start, b).EntityId + "-" + run, settings, new PipelineMetrics())))
                .ToArray();
            string[] rules = ["overspeed", "wrong_gear"];
            var latencies = new double[alerts];
            var sw = Stopwatch.StartNew();
            await Source.From(Enumerable.Range(0, alerts))
                .SelectAsyncUnordered(parallelism, async i =>
                {
                    var bucket = i % buckets;
                    var alert = new Alert(new EnrichedSample($"{run}-{i}", start.AddSeconds(i % 60), 1_000_000 + i, 130, 4000, 4, null, 123456789, "Kia", "Rio", "Red", 4), rules);
                    var t0 = Stopwatch.GetTimestamp();
                    await aggregators[bucket].Ask<AlertCounted>(new CountAlert(new WindowKey(start, bucket).EntityId, start, settings.Length, alert), TimeSpan.FromSeconds(60));
                    latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    return i;
                })
                .RunWith(Sink.Ignore<int>(), system.Materializer());
            sw.Stop();
            Array.Sort(latencies);
            var dbBytes = persistence.Provider == PersistenceSettings.Sqlite
                ? Directory.GetFiles(dataDir, PersistenceHocon.SqliteFile + "*").Sum(f => new FileInfo(f).Length)
                : 0;
            return new Result(alerts, sw.Elapsed, alerts / sw.Elapsed.TotalSeconds, latencies[alerts / 2], latencies[(int)(alerts * 0.99)], dbBytes);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
