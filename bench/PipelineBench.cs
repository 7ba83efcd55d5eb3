using System.Diagnostics;
using TrafficActors.Generator;
using TrafficActors.Host.Node;
using TrafficActors.Kafka;
using TrafficActors.Kafka.Testkit;

namespace TrafficActors.Bench;

/// <summary>The real node in this process (every role, durable SQLite windows) against the embedded broker.</summary>
public static class PipelineBench
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Node settings of the run: no generator, HTTP and management on free ports, a reference fleet matching the
    /// generated cars. Everything else is the shipped configuration, except that a smoke run's batches are small: its
    /// whole backlog fits in one shipped batch, which would finish with the warm-up and leave nothing to measure.
    /// </summary>
    public static NodeOptions NodeOptions(EmbeddedKafkaCluster broker, string dataDir, BenchOptions options) => new()
    {
        Profile = null,
        KafkaBootstrap = broker.BootstrapServers,
        Generator = false,
        Urls = "http://127.0.0.1:0",
        DataDir = dataDir,
        ExtraHocon = $"""
            traffic.kafka.embedded.profile = on
            traffic.reference.cars = {options.Cars}
            traffic.management.port = 0
            traffic.node.stats-interval = 1h
            {(options.Smoke ? $"traffic.ingest.max-batch = {BenchOptions.SmokeMaxBatch}" : "")}
            {options.NodeHocon}
            """,
    };

    /// <summary>
    /// Times the node through the pre-produced backlog: from the last warm-up event done to the last event fully
    /// processed (outputs acknowledged, alert durably counted).
    /// </summary>
    public static async Task<ThroughputDetail> ThroughputAsync(TrafficNode node, long events, long warmup, TimeSpan timeout, bool allocations = false)
    {
        var m = node.Metrics;
        var deadline = Stopwatch.StartNew();
        while (m.Consumed == 0)
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException("the node consumed nothing");
            await Task.Delay(Poll);
        }

        var cold = Stopwatch.StartNew();
        var coldCpu = CpuClock.Start();
        while (m.Processed + m.DeadLettered < warmup)
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"the node processed {m.Processed + m.DeadLettered} of {warmup} warm-up events");
            await Task.Delay(Poll);
        }

        using var allocs = allocations ? new AllocationSampler() : null;
        var cpu = CpuClock.Start();
        var clock = Stopwatch.StartNew();
        var doneAtStart = m.Processed + m.DeadLettered;
        // Batches finish whole, so a small backlog can be done together with its warm-up: time all of it instead.
        if (doneAtStart >= events)
        {
            (cpu, clock, doneAtStart) = (coldCpu, cold, 0);
        }

        while (m.Processed + m.DeadLettered < events)
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"the node processed {m.Processed + m.DeadLettered} of {events} events");
            await Task.Delay(Poll);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var coldSeconds = cold.Elapsed.TotalSeconds;
        var cpuUs = cpu.ElapsedMicroseconds();
        var gc = cpu.Gc();
        var jit = cpu.Jit();
        var measured = m.Processed + m.DeadLettered - doneAtStart;
        allocs?.Stop();
        foreach (var (type, bytes) in allocs?.Top(30) ?? []) Console.Error.WriteLine(FormattableString.Invariant($"[bench] allocations: {bytes / (double)measured,8:F1} B/event  {type}"));
        // Alerting events of the whole backlog (the node saw nothing else yet), comparable with the baseline's.
        return new ThroughputDetail(measured, seconds, measured / seconds, m.Alerts, cpuUs / measured, gc.AllocatedBytes / (double)measured, gc, jit, (m.Processed + m.DeadLettered) / coldSeconds);
    }

    /// <summary>
    /// Produces the workload's events at a fixed rate for the given time while the node runs, and returns the percentiles of
    /// the node's own end-to-end latency over exactly those events.
    /// </summary>
    public static async Task<LatencyResult> LatencyAsync(TrafficNode node, LatencyRecorder recorder, int rate, BenchOptions options, int seed, TimeSpan timeout)
    {
        var m = node.Metrics;
        var settings = new GeneratorSettings
        {
            Cars = options.Cars,
            Seed = seed,
            Rate = rate,
            Duration = options.LatencyDuration,
            Topic = node.Settings.Kafka.RawTopic,
        };
        using var producer = KafkaProducer.CreateProducer(node.Settings.Kafka.ToProducerSettings());
        var before = m.Processed + m.DeadLettered;
        recorder.Start();
        var result = await new GeneratorRunner(settings, WorkloadData.Source(options.Workload, settings), TimeProvider.System).RunAsync(producer, CancellationToken.None);
        var deadline = Stopwatch.StartNew();
        while (m.Processed + m.DeadLettered < before + result.Delivered)
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"latency phase at {rate}/s: {m.Processed + m.DeadLettered - before} of {result.Delivered} processed");
            await Task.Delay(Poll);
        }

        var ms = recorder.Stop();
        return new LatencyResult(
            rate, result.Rate, ms.Length,
            LatencyRecorder.Percentile(ms, 0.50), LatencyRecorder.Percentile(ms, 0.95), LatencyRecorder.Percentile(ms, 0.99),
            ms.Length == 0 ? double.NaN : ms[^1]);
    }
}
