using TrafficActors.Host.Node;
using TrafficActors.Settings;

namespace TrafficActors.Bench;

/// <summary>Runs the phases in order on one embedded broker and gathers the report.</summary>
public static class BenchRunner
{
    // Generous bounds: a phase that does not finish in these is broken, not slow.
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromMinutes(5);

    // The rates the report's headline p99 keys name; any other --rates still appear in the latency details.
    private const int Rate10k = 10_000;
    private const int Rate20k = 20_000;
    private const int Rate50k = 50_000;

    private static double? P99At(List<LatencyResult> latency, int rate) => latency.FirstOrDefault(l => l.RateEps == rate)?.P99Ms;

    public static async Task<BenchReport> RunAsync(BenchOptions o)
    {
        if (!o.Verbose)
        {
            // Read by the node's host builder (ASP.NET Core logging) and its HOCON (Akka) respectively.
            Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
            Environment.SetEnvironmentVariable("TRAFFIC_LOG_LEVEL", "WARNING");
        }

        var machine = MachineInfo.Current();
        Progress($"machine: {machine.Cores} cores, {machine.Cpu}, {machine.Os}, {machine.Runtime}, {machine.Gc} GC");
        var dataDir = Path.Combine(Path.GetTempPath(), "traffic-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var settings = TrafficSettings.FromConfig(TrafficConfig.Load());
            var baseline = new ThroughputDetail(0, 0, double.NaN, 0, double.NaN, double.NaN, new GcActivity(0, 0, 0, 0, 0), new JitActivity(0, 0), double.NaN);
            var pipeline = baseline;
            var latency = new List<LatencyResult>();
            if (o.Pipeline) (baseline, pipeline) = await PipelineAsync(o, settings, dataDir, latency);

            var memory = new List<MemoryResult>();
            foreach (var n in o.Memory ? o.MemoryCars : [])
            {
                Progress($"memory: {n:N0} idle car actors");
                var mem = await CarMemory.MeasureAsync(n, PhaseTimeout);
                Progress($"memory: {mem.BytesPerCar:N0} bytes per car");
                memory.Add(mem);
            }

            return new BenchReport(
                machine, o.Smoke, o.Workload, o.Events, o.WarmupEvents, o.Cars,
                pipeline.EventsPerSecond, baseline.EventsPerSecond, pipeline.EventsPerSecond / baseline.EventsPerSecond,
                pipeline.CpuUsPerEvent, baseline.CpuUsPerEvent,
                latency,
                P99At(latency, Rate10k),
                P99At(latency, Rate20k),
                P99At(latency, Rate50k),
                memory,
                memory.Count == 0 ? double.NaN : memory.MaxBy(m => m.Cars)!.BytesPerCar,
                pipeline, baseline);
        }
        finally
        {
            try
            {
                if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file for a moment; a temp folder left behind is harmless.
            }
        }
    }

    private static async Task<(ThroughputDetail Baseline, ThroughputDetail Pipeline)> PipelineAsync(
        BenchOptions o, TrafficSettings settings, string dataDir, List<LatencyResult> latency)
    {
        using var broker = settings.Kafka.StartEmbedded();
        var topic = settings.Kafka.RawTopic;
        var kafka = settings.Kafka.WithBootstrap(broker.BootstrapServers);

        Progress($"producing {o.WarmupEvents:N0} + {o.Events:N0} {o.Workload.ToString().ToLowerInvariant()} events ({o.Cars:N0} cars) to {topic}: warm-up, then measured");
        var events = await WorkloadData.ProduceAsync(kafka, topic, o);

        Progress("baseline: bare consumer + parse + rules");
        var baseline = BaselineConsumer.Run(kafka, topic, events, o.WarmupEvents, settings.Validation, settings.Rules, PhaseTimeout);
        Progress($"baseline: {baseline.EventsPerSecond:N0} events/s ({baseline.ColdEventsPerSecond:N0} with the warm-up), {baseline.CpuUsPerEvent:F2} CPU µs/event, {Heap(baseline)}");

        ThroughputDetail pipeline;
        await using (var node = await TrafficNode.StartAsync(PipelineBench.NodeOptions(broker, dataDir, o)))
        {
            Progress("pipeline: the node works through the same events");
            pipeline = await PipelineBench.ThroughputAsync(node, events, o.WarmupEvents, PhaseTimeout, o.Allocations);
            Progress($"pipeline: {pipeline.EventsPerSecond:N0} events/s ({pipeline.ColdEventsPerSecond:N0} with the warm-up), {pipeline.CpuUsPerEvent:F2} CPU µs/event, {Heap(pipeline)}");
            using var recorder = new LatencyRecorder(node.Metrics.Meter);
            await using var trim = ConsumedLog.Start(broker, node.Settings.Kafka, topic, node.Settings.Kafka.ToConsumerSettings().GroupId, TimeSpan.FromSeconds(1));
            foreach (var rate in o.LatencyRates)
            {
                Progress($"latency at {rate:N0} events/s for {o.LatencyDuration.TotalSeconds:0.#} s");
                var clock = CpuClock.Start();
                var l = await PipelineBench.LatencyAsync(node, recorder, rate, o, o.Seed + rate, PhaseTimeout);
                var jit = clock.Jit();
                Progress($"latency at {rate:N0}/s: p50 {l.P50Ms:F1} ms, p95 {l.P95Ms:F1} ms, p99 {l.P99Ms:F1} ms; JIT compiled {jit.Methods:N0} methods in {jit.Ms:N0} ms");
                latency.Add(l);
            }
        }

        return (baseline, pipeline);
    }

    private static void Progress(string line) => Console.Error.WriteLine($"[bench] {line}");

    private static string Heap(ThroughputDetail d) => FormattableString.Invariant(
        $"{d.AllocatedBytesPerEvent:N0} B allocated/event, GC paused {d.Gc.PauseMs / (d.Seconds * 1000) * 100:F1}% of the time (gen0/1/2: {d.Gc.Gen0}/{d.Gc.Gen1}/{d.Gc.Gen2}), JIT compiled {d.Jit.Methods:N0} methods in {d.Jit.Ms:N0} ms");
}
