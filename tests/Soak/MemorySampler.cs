using System.Collections.Concurrent;
using System.Globalization;
using TrafficActors.Tests.Support;

namespace TrafficActors.Tests.Soak;

/// <summary>
/// Memory of each node process, sampled every second: resident memory (VmRSS from /proc) and the managed heap the
/// last garbage collection left live (the node's own <c>dotnet_gc_last_collection_heap_size_bytes</c>). Both are
/// needed: the server GC lets resident memory swing by its generation-0 budget while live objects stay flat, so a
/// leak of managed objects shows in the second figure and a native one (librdkafka buffers) in the first.
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private const string LiveHeapMetric = "dotnet_gc_last_collection_heap_size_bytes";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Timer _timer;

    public MemorySampler(Func<IEnumerable<(string Node, int Pid, string ManagementUrl)>> processes) =>
        _timer = new Timer(_ =>
        {
            var now = DateTime.UtcNow;
            foreach (var (node, pid, management) in processes())
            {
                if (Rss(pid) is { } rss) Samples.Enqueue((now, node, pid, rss));
                if (LiveHeap(management) is { } heap) HeapSamples.Enqueue((now, node, pid, heap));
            }
        }, null, TimeSpan.Zero, TimeSpan.FromSeconds(1));

    public ConcurrentQueue<(DateTime At, string Node, int Pid, long Bytes)> Samples { get; } = new();

    public ConcurrentQueue<(DateTime At, string Node, int Pid, long Bytes)> HeapSamples { get; } = new();

    private static long? Rss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null; // the process just ended
        }
    }

    // Sum over the heap generations the exporter labels separately; no answer (node busy or down) = no sample.
    private long? LiveHeap(string managementUrl)
    {
        try
        {
            var values = PrometheusText.Parse(_http.GetStringAsync(managementUrl + "/metrics").GetAwaiter().GetResult())
                .Where(p => p.Key == LiveHeapMetric || p.Key.StartsWith(LiveHeapMetric + "{", StringComparison.Ordinal))
                .Select(p => p.Value)
                .ToArray();
            return values.Length == 0 ? null : (long)values.Sum();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or FormatException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _http.Dispose();
    }
}
