using System.Collections.Concurrent;
using System.Text.Json;
using TrafficActors.Tests.Support;

namespace TrafficActors.Tests.Soak;

/// <summary>
/// Every second, each ingest node's own view of its consumer (<c>/kafka/lag</c>): how many messages its stream has
/// taken from Kafka and the group's lag on the partitions it owns. A node whose count stays flat while its
/// partitions have lag is not consuming work that waits for it — the stall the soak must never show.
/// </summary>
internal sealed class IngestProgressSampler : IDisposable
{
    // Samples further apart than this (node busy, brokers down, process restarting) end a stretch: nothing is known
    // about the time between them.
    private static readonly TimeSpan MaxGap = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    private readonly Func<IEnumerable<ClusterNode>> _nodes;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(3) };

    public IngestProgressSampler(Func<IEnumerable<ClusterNode>> nodes)
    {
        _nodes = nodes;
        _loop = Task.Run(LoopAsync);
    }

    public ConcurrentQueue<Sample> Samples { get; } = new();

    /// <summary>Per node, its longest stretch with lag on its partitions and not one message consumed.</summary>
    public IReadOnlyList<FlatStretch> LongestFlat() =>
        Samples.GroupBy(s => s.Node).Select(g => Longest(g.Key, g.OrderBy(s => s.At).ToArray()))
            .OrderBy(f => f.Node, StringComparer.Ordinal).ToArray();

    /// <summary>Stalls the watchdog counted per node, summed over the node's processes (a restart starts at 0).</summary>
    public IReadOnlyDictionary<string, long> Stalls() =>
        Samples.GroupBy(s => s.Node).ToDictionary(g => g.Key, g => g.GroupBy(s => s.Pid).Sum(p => p.Max(s => s.Stalls)));

    internal static FlatStretch Longest(string node, IReadOnlyList<Sample> samples)
    {
        var best = new FlatStretch(node, TimeSpan.Zero, null, null);
        Sample? first = null;
        Sample? previous = null;
        foreach (var s in samples)
        {
            var continues = first is { } f && previous is { } p && s.Pid == f.Pid && s.Consumed == f.Consumed && s.Lag > 0
                            && s.At - p.At <= MaxGap;
            if (!continues) first = s.Lag > 0 ? s : null;
            else if (s.At - first!.At > best.Length) best = new FlatStretch(node, s.At - first.At, first.At, s.At);
            previous = s;
        }

        return best;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var round = Task.Delay(Every, _stop.Token);
            await Task.WhenAll(_nodes().Where(n => n.Process is { HasExited: false }).Select(SampleAsync));
            try
            {
                await round;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SampleAsync(ClusterNode node)
    {
        try
        {
            var pid = node.Process!.Id;
            var body = await _http.GetStringAsync(node.ManagementUrl + "/kafka/lag", _stop.Token);
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.GetProperty("consumer") is not { ValueKind: JsonValueKind.Object } consumer) return;
            var owned = consumer.GetProperty("assigned_partitions").EnumerateArray().Select(p => p.GetInt32()).ToHashSet();
            var lag = doc.RootElement.GetProperty("partitions").EnumerateArray()
                .Where(p => owned.Contains(p.GetProperty("partition").GetInt32())).Sum(p => p.GetProperty("lag").GetInt64());
            Samples.Enqueue(new Sample(DateTime.UtcNow, node.Name, pid, consumer.GetProperty("consumed").GetInt64(), lag,
                consumer.GetProperty("stalls").GetInt64()));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException
                                       or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // No answer this second (node down or busy, brokers unreachable): a gap in its samples.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled while a round was running.
        }

        _http.Dispose();
        _stop.Dispose();
    }

    internal sealed record Sample(DateTime At, string Node, int Pid, long Consumed, long Lag, long Stalls);
}

/// <summary>A node's longest time with lag on its partitions and nothing consumed.</summary>
internal sealed record FlatStretch(string Node, TimeSpan Length, DateTime? From, DateTime? To);
