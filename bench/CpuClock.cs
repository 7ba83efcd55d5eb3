using System.Diagnostics;
using System.Runtime;

namespace TrafficActors.Bench;

/// <summary>
/// Process CPU time (all threads: actors, Kafka client, GC) and managed-heap activity over one measured interval,
/// so a faster figure that burns more cores or allocates more shows up as such.
/// </summary>
public sealed class CpuClock
{
    private readonly TimeSpan _cpu = Cpu();
    private readonly TimeSpan _gcPause = GC.GetTotalPauseDuration();
    // Precise: a short phase may allocate less than the allocation contexts the runtime has handed out but not yet
    // counted, and the imprecise figure then shows no allocation at all.
    private readonly long _allocated = GC.GetTotalAllocatedBytes(precise: true);
    private readonly int[] _collections = Collections();
    private readonly long _jitMethods = JitInfo.GetCompiledMethodCount();
    private readonly TimeSpan _jitTime = JitInfo.GetCompilationTime();

    public static CpuClock Start() => new();

    public double ElapsedMicroseconds() => (Cpu() - _cpu).TotalMicroseconds;

    /// <summary>What the heap did since the start: bytes allocated, time paused for collections, collections per generation.</summary>
    public GcActivity Gc()
    {
        var now = Collections();
        return new GcActivity(
            GC.GetTotalAllocatedBytes(precise: true) - _allocated, (GC.GetTotalPauseDuration() - _gcPause).TotalMilliseconds,
            now[0] - _collections[0], now[1] - _collections[1], now[2] - _collections[2]);
    }

    /// <summary>What the JIT did since the start: methods compiled (first compilations and re-compilations to optimised code) and the time it took.</summary>
    public JitActivity Jit() => new(JitInfo.GetCompiledMethodCount() - _jitMethods, (JitInfo.GetCompilationTime() - _jitTime).TotalMilliseconds);

    // A new Process object reads the figures afresh; a kept one would cache them.
    private static TimeSpan Cpu()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime;
    }

    private static int[] Collections() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
}

/// <summary>Managed-heap activity over a measured interval (see <see cref="CpuClock.Gc"/>).</summary>
public sealed record GcActivity(long AllocatedBytes, double PauseMs, int Gen0, int Gen1, int Gen2);

/// <summary>JIT activity over a measured interval (see <see cref="CpuClock.Jit"/>): code still being compiled means the figure is not steady state.</summary>
public sealed record JitActivity(long Methods, double Ms);
