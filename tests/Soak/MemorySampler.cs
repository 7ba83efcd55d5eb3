using System.Collections.Concurrent;
using System.Globalization;

namespace TrafficActors.Tests.Soak;

/// <summary>Resident memory of each node process (VmRSS from /proc), sampled every second.</summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Timer _timer;

    public MemorySampler(Func<IEnumerable<(string Node, int Pid)>> processes) =>
        _timer = new Timer(_ =>
        {
            var now = DateTime.UtcNow;
            foreach (var (node, pid) in processes())
            {
                if (Rss(pid) is { } rss) Samples.Enqueue((now, node, pid, rss));
            }
        }, null, TimeSpan.Zero, TimeSpan.FromSeconds(1));

    public ConcurrentQueue<(DateTime At, string Node, int Pid, long Bytes)> Samples { get; } = new();

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

    public void Dispose() => _timer.Dispose();
}
