using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Commands;

/// <summary><c>traffic kafka lag</c>: the ingest consumer group's committed offsets and lag per partition.</summary>
public static class KafkaLagCommand
{
    public static Command Create() =>
        ManagementClient.Verb(
            new Command("lag", "Per partition of raw-data: the consumer group's committed offset, the log end offset and the lag"),
            _ => "/kafka/lag", Render);

    private static void Render(string body, IAnsiConsole console)
    {
        var view = ManagementClient.Read(body, ManagementJson.Default.KafkaLagView);
        var table = new Table().AddColumns("partition", "committed", "log end", "lag");
        foreach (var c in table.Columns) c.RightAligned();
        foreach (var p in view.Partitions)
        {
            table.AddRow(
                p.Partition.ToString(CultureInfo.InvariantCulture), p.Committed?.ToString(CultureInfo.InvariantCulture) ?? "-",
                p.LogEnd.ToString(CultureInfo.InvariantCulture), p.Lag.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape($"group {view.Group} on {view.Topic}: total lag {view.TotalLag.ToString("N0", CultureInfo.InvariantCulture)} over {view.Partitions.Count} partitions"));
        if (view.Consumer is { } consumer)
        {
            var stalled = consumer.StalledPartitions.Count > 0 ? $"STALLED {string.Join(",", consumer.StalledPartitions)}" : "no stall now";
            console.MarkupLine(Markup.Escape(
                $"this node's consumer: {(consumer.Paused ? "paused" : "fetching")}, {consumer.Buffered.ToString(CultureInfo.InvariantCulture)} buffered, " +
                $"{consumer.PausedPartitions.ToString(CultureInfo.InvariantCulture)} partitions paused, {stalled}, {consumer.Stalls.ToString(CultureInfo.InvariantCulture)} stalls so far"));
        }
    }
}
