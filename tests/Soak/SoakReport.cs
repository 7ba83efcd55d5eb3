using System.Globalization;
using System.Text;

namespace TrafficActors.Tests.Soak;

/// <summary>What a soak run measured; rendered as a Markdown table for the test output and the report file.</summary>
internal sealed record SoakReport(
    TimeSpan Duration,
    long Produced,
    long Alerting,
    long Counted,
    long Lost,
    long Doubled,
    long Late,
    int PoisonSent,
    int DeadLettered,
    double BaselineP50Ms,
    double BaselineP99Ms,
    IReadOnlyList<FaultFigures> Faults,
    IReadOnlyList<NodeMemory> Memory,
    IReadOnlyList<FlatStretch> FlatIngest,
    IReadOnlyDictionary<string, long> WatchdogStalls,
    IReadOnlyList<FaultWindow> FaultWindows,
    DateTime Started)
{
    /// <summary>Grace beyond its own length within which a fault's worst latency should stay.</summary>
    public static readonly TimeSpan LatencyGrace = TimeSpan.FromSeconds(30);

    /// <summary>Which fault (or the time after which one) a stretch of the run fell in.</summary>
    public static string During(IReadOnlyList<FaultWindow> faults, FlatStretch stretch)
    {
        if (stretch.From is not { } from) return "-";
        var active = faults.LastOrDefault(f => f.Start <= from);
        if (active is null) return "before the first fault";
        return from <= active.End ? $"during {active.Name}" : $"{(from - active.End).TotalSeconds:F0} s after {active.Name}";
    }

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"Soak run of {Duration.TotalMinutes:F1} min: {Produced:N0} events produced, {Alerting:N0} alerting, {Counted:N0} counted; lost {Lost}, counted twice {Doubled}, late {Late}; poison sent {PoisonSent}, dead-lettered {DeadLettered}.");
        sb.AppendLine(c, $"Latency without faults (raw-data produce → alert published): p50 {BaselineP50Ms:F0} ms, p99 {BaselineP99Ms:F0} ms.");
        sb.AppendLine();
        var cycles = Faults.Count == 0 ? 0 : Faults.GroupBy(f => f.Name).Max(g => g.Count());
        sb.AppendLine(c, $"Per fault over {cycles} cycle(s): median and worst of each cycle's figure; the goal is a worst latency within the fault's own length + {LatencyGrace.TotalSeconds:F0} s.");
        sb.AppendLine();
        sb.AppendLine("| fault | lasted | worst latency during it: median / worst | within length + 30 s | recovered after it ended: median / worst |");
        sb.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var g in Faults.GroupBy(f => f.Name))
        {
            var lasted = Median(g.Select(f => f.Lasted))!.Value;
            var worst = g.Select(f => f.WorstLatency).OfType<TimeSpan>().ToArray();
            var within = g.Count(f => f.WorstLatency is { } w && w <= f.Lasted + LatencyGrace);
            var recovered = g.Select(f => f.Recovery).OfType<TimeSpan>().ToArray();
            var never = g.Count(f => f.Recovery is null);
            sb.AppendLine(c, $"| {g.Key} | {lasted.TotalSeconds:F1} s | {Ms(Median(worst))} / {Ms(worst.Length > 0 ? worst.Max() : null)} | {within} of {g.Count()} | " +
                             $"{Sec(Median(recovered))} / {Sec(recovered.Length > 0 ? recovered.Max() : null)}{(never > 0 ? $" ({never} not within the run)" : "")} |");
        }

        sb.AppendLine();
        sb.AppendLine("| node | longest time consuming nothing while its partitions had lag | when | watchdog stalls |");
        sb.AppendLine("| --- | --- | --- | --- |");
        foreach (var f in FlatIngest)
        {
            var when = f.From is { } from ? $"{(from - Started).TotalSeconds:F0} s into the run, {During(FaultWindows, f)}" : "-";
            sb.AppendLine(c, $"| {f.Node} | {f.Length.TotalSeconds:F0} s | {when} | {WatchdogStalls.GetValueOrDefault(f.Node)} |");
        }

        sb.AppendLine();
        sb.AppendLine("| node | steady memory (start) | steady memory (end) | peak memory | live heap (start) | live heap (end) |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var m in Memory)
            sb.AppendLine(c, $"| {m.Node} | {Mb(m.StartBytes)} | {Mb(m.EndBytes)} | {Mb(m.PeakBytes)} | {Mb(m.LiveStartBytes)} | {Mb(m.LiveEndBytes)} |");
        return sb.ToString();
    }

    private static string Ms(TimeSpan? t) => t is { } v ? $"{v.TotalMilliseconds:N0} ms" : "-";

    private static string Sec(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:F1} s" : "-";

    private static TimeSpan? Median(IEnumerable<TimeSpan> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? null : v[v.Length / 2];
    }

    private static string Mb(long? bytes) => bytes is { } b ? $"{b / 1024.0 / 1024.0:F0} MB" : "-";
}

internal sealed record FaultFigures(string Name, TimeSpan Lasted, TimeSpan? WorstLatency, TimeSpan? Recovery);

internal sealed record NodeMemory(string Node, long? StartBytes, long? EndBytes, long PeakBytes, long? LiveStartBytes, long? LiveEndBytes);
