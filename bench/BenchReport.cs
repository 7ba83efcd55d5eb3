using System.Text.Json.Serialization;

namespace TrafficActors.Bench;

/// <summary>Everything one run measured; serialized as the <c>--json</c> output.</summary>
public sealed record BenchReport(
    MachineInfo Machine,
    bool Smoke,
    Workload Workload,
    int Events,
    int WarmupEvents,
    int Cars,
    double ThroughputEps,
    double BaselineEps,
    double Ratio,
    double CpuUsPerEvent,
    double BaselineCpuUsPerEvent,
    IReadOnlyList<LatencyResult> Latency,
    [property: JsonPropertyName("p99_ms_at_10k")] double? P99MsAt10k,
    [property: JsonPropertyName("p99_ms_at_20k")] double? P99MsAt20k,
    [property: JsonPropertyName("p99_ms_at_50k")] double? P99MsAt50k,
    IReadOnlyList<MemoryResult> Memory,
    double BytesPerCar,
    ThroughputDetail Pipeline,
    ThroughputDetail Baseline);

/// <summary>
/// One throughput measurement over the events after the warm-up: from the last warm-up event done to the last event
/// done. <paramref name="ColdEventsPerSecond"/> is the whole backlog, warm-up included, from the first event consumed:
/// what a freshly started process does.
/// </summary>
public sealed record ThroughputDetail(
    long Events, double Seconds, double EventsPerSecond, long Alerts, double CpuUsPerEvent, double AllocatedBytesPerEvent, GcActivity Gc, JitActivity Jit,
    double ColdEventsPerSecond);

/// <summary>Produce-to-counted latency at one fixed produce rate.</summary>
public sealed record LatencyResult(int RateEps, double AchievedEps, long Events, double P50Ms, double P95Ms, double P99Ms, double MaxMs);

/// <summary>Managed heap growth per idle car actor for one fleet size.</summary>
public sealed record MemoryResult(int Cars, long HeapBytes, double BytesPerCar);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, UseStringEnumConverter = true, Converters = [typeof(NaNAsNullConverter)])]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJson : JsonSerializerContext;
