using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace TrafficActors.Bench;

/// <summary>
/// Bytes allocated per type while it runs, from the runtime's own allocation sampling (an event per ~100 KB
/// allocated, naming the type that crossed the mark), so large figures are accurate and small ones approximate.
/// In-process, so `--allocations` needs no trace tooling.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const long SampleBytes = 100_000;

    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private volatile bool _running = true;

    public void Stop() => _running = false;

    public IEnumerable<(string Type, long Bytes)> Top(int count) =>
        _bytes.OrderByDescending(x => x.Value).Take(count).Select(x => (x.Key, x.Value));

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == RuntimeSource) EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_running || e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || e.PayloadNames is not { } names) return;
        var type = e.Payload![names.IndexOf("TypeName")] as string ?? "?";
        var at = names.IndexOf("AllocationAmount64");
        var amount = at >= 0 ? Convert.ToInt64(e.Payload[at], System.Globalization.CultureInfo.InvariantCulture) : SampleBytes;
        _bytes.AddOrUpdate(type, amount, (_, v) => v + amount);
    }
}
