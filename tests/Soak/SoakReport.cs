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
    IReadOnlyList<NodeMemory> Memory)
{
    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"Soak run of {Duration.TotalMinutes:F1} min: {Produced:N0} events produced, {Alerting:N0} alerting, {Counted:N0} counted; lost {Lost}, counted twice {Doubled}, late {Late}; poison sent {PoisonSent}, dead-lettered {DeadLettered}.");
        sb.AppendLine(c, $"Latency without faults (raw-data produce → alert published): p50 {BaselineP50Ms:F0} ms, p99 {BaselineP99Ms:F0} ms.");
        sb.AppendLine();
        sb.AppendLine("| fault | lasted | worst latency during it | recovered after the fault ended |");
        sb.AppendLine("| --- | --- | --- | --- |");
        foreach (var f in Faults)
            sb.AppendLine(c, $"| {f.Name} | {f.Lasted.TotalSeconds:F1} s | {Ms(f.WorstLatency)} | {(f.Recovery is { } r ? $"{r.TotalSeconds:F1} s" : "not within the run")} |");
        sb.AppendLine();
        sb.AppendLine("| node | steady memory (start) | steady memory (end) | peak memory |");
        sb.AppendLine("| --- | --- | --- | --- |");
        foreach (var m in Memory)
            sb.AppendLine(c, $"| {m.Node} | {Mb(m.StartBytes)} | {Mb(m.EndBytes)} | {Mb(m.PeakBytes)} |");
        return sb.ToString();
    }

    private static string Ms(TimeSpan? t) => t is { } v ? $"{v.TotalMilliseconds:N0} ms" : "-";

    private static string Mb(long? bytes) => bytes is { } b ? $"{b / 1024.0 / 1024.0:F0} MB" : "-";
}

internal sealed record FaultFigures(string Name, TimeSpan Lasted, TimeSpan? WorstLatency, TimeSpan? Recovery);

internal sealed record NodeMemory(string Node, long? StartBytes, long? EndBytes, long PeakBytes);
