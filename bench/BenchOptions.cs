using System.Text.Json.Serialization;

namespace TrafficActors.Bench;

/// <summary>Which generator feeds the run.</summary>
public enum Workload
{
    /// <summary>Fleet simulation: cars on roads, a realistic minority of alerting events.</summary>
    [JsonStringEnumMemberName("fleet")]
    Fleet,

    /// <summary>The seed's uniform random generator: most events alert, a worst case for the alert path.</summary>
    [JsonStringEnumMemberName("seed")]
    Seed,
}

/// <summary>What one benchmark run measures and how big it is.</summary>
public sealed record BenchOptions
{
    public Workload Workload { get; init; } = Workload.Fleet;

    /// <summary>Events pre-produced for the throughput phase (pipeline and baseline read the same ones).</summary>
    public int Events { get; init; } = 200_000;

    /// <summary>
    /// Events before those, read by the pipeline and the baseline alike before their clocks start: the first seconds
    /// of a process compile its code (a node's first window buckets and journal queries included), which is not the
    /// steady state the figures compare.
    /// </summary>
    public int WarmupEvents { get; init; } = DefaultWarmupEvents;

    /// <summary>Simulated fleet size of the generated data.</summary>
    public int Cars { get; init; } = 1_000;

    /// <summary>How often each car reports in the pre-produced data (event time).</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Fixed produce rates (events/s) of the latency phases.</summary>
    public IReadOnlyList<int> LatencyRates { get; init; } = [10_000, 20_000, 50_000];

    /// <summary>Length of each latency phase.</summary>
    public TimeSpan LatencyDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Idle car actors created for each memory measurement.</summary>
    public IReadOnlyList<int> MemoryCars { get; init; } = [100_000, 1_000_000];

    /// <summary>Generator seed: the same seed gives the same data.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>Which phases run: pipeline (throughput, baseline and latency) and memory.</summary>
    public bool Pipeline { get; init; } = true;

    public bool Memory { get; init; } = true;

    /// <summary>Extra HOCON for the node (experiments: switch a part off, change parallelism, ...).</summary>
    public string? NodeHocon { get; init; }

    public bool Json { get; init; }

    public bool Smoke { get; init; }

    /// <summary>Log the node's information messages too (to stderr).</summary>
    public bool Verbose { get; init; }

    /// <summary>Print the types allocating most during the pipeline's throughput phase (to stderr).</summary>
    public bool Allocations { get; init; }

    public const int DefaultWarmupEvents = 50_000;
    public const int SeedEvents = 400_000;
    public const int SeedCars = 10_000;
    public const int SmokeEvents = 5_000;
    public const int SmokeCars = 200;
    public const int SmokeWarmupEvents = 1_000;
    public const int SmokeMaxBatch = 250;

    /// <summary>Default sizes of a workload (the seed workload is bigger: its events are cheaper to route per car).</summary>
    public BenchOptions ForWorkload(Workload workload) => workload == Workload.Seed && !Smoke
        ? this with { Workload = workload, Events = SeedEvents, Cars = SeedCars }
        : this with { Workload = workload };

    /// <summary>A few seconds end to end: proves every phase works, the figures mean little.</summary>
    public static BenchOptions SmokeDefaults { get; } = new()
    {
        Events = SmokeEvents,
        WarmupEvents = SmokeWarmupEvents,
        Cars = SmokeCars,
        LatencyDuration = TimeSpan.FromSeconds(1),
        MemoryCars = [5_000, 10_000],
        Smoke = true,
    };
}
