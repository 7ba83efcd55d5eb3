using System.Diagnostics;

namespace TrafficActors.Bench;

/// <summary>
/// Process CPU time (all threads: actors, Kafka client, GC) over one measured interval, so a faster figure that
/// burns more cores shows up as such.
/// </summary>
public sealed class CpuClock
{
    private readonly TimeSpan _start;

    private CpuClock(TimeSpan start) => _start = start;

    public static CpuClock Start() => new(Now());

    public double ElapsedMicroseconds() => (Now() - _start).TotalMicroseconds;

    private static TimeSpan Now()
    {
        using var p = Process.GetCurrentProcess();
        // The Process object caches its figures; a fresh one per reading is already current, refresh makes it explicit.
        p.Refresh();
        return p.TotalProcessorTime;
    }
}
