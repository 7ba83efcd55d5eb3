using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Commands;

/// <summary><c>traffic sharding regions|region-stats</c>: how shards and entities are spread over the nodes.</summary>
public static class ShardingCommand
{
    public static Command Create()
    {
        var cmd = new Command("sharding", "Shard regions: shards and entities per node");
        cmd.Subcommands.Add(ManagementClient.Verb(new Command("regions", "Every region type with its shards and entities per node"), _ => "/sharding/regions", RenderRegions));
        var type = new Argument<string>("type") { Description = "Region type: car or window" };
        var stats = new Command("region-stats", "Every shard of one region type: node and entity count");
        stats.Arguments.Add(type);
        cmd.Subcommands.Add(ManagementClient.Verb(stats, r => $"/sharding/regions/{Uri.EscapeDataString(r.GetValue(type)!)}", RenderStats));
        return cmd;
    }

    private static void RenderRegions(string body, IAnsiConsole console)
    {
        var view = ManagementClient.Read(body, ManagementJson.Default.RegionsView);
        var table = new Table().AddColumns("region", "hosted here", "node", "shards", "entities");
        foreach (var r in view.Regions)
        {
            if (r.Nodes.Count == 0) table.AddRow(r.Type, r.HostedHere ? "yes" : "no (proxy)", "-", "0", "0");
            foreach (var n in r.Nodes)
                table.AddRow(r.Type, r.HostedHere ? "yes" : "no (proxy)", Markup.Escape(n.Node), Num(n.Shards), Num(n.Entities));
            foreach (var u in r.Unanswered) table.AddRow(r.Type, "", Markup.Escape(u), "[red]no answer[/]", "");
        }

        console.Write(table);
    }

    private static void RenderStats(string body, IAnsiConsole console)
    {
        var view = ManagementClient.Read(body, ManagementJson.Default.RegionStatsView);
        var table = new Table().AddColumns("node", "shard", "entities");
        table.Columns[2].RightAligned();
        foreach (var s in view.Shards.OrderBy(s => s.Node, StringComparer.Ordinal).ThenBy(s => int.TryParse(s.ShardId, out var n) ? n : int.MaxValue).ThenBy(s => s.ShardId, StringComparer.Ordinal))
            table.AddRow(Markup.Escape(s.Node), Markup.Escape(s.ShardId), Num(s.Entities));
        console.Write(table);
        console.MarkupLine($"{Markup.Escape(view.Type)}: {view.Shards.Count} shards, {Num(view.Shards.Sum(s => s.Entities))} entities on {view.Shards.Select(s => s.Node).Distinct().Count()} nodes");
        foreach (var u in view.Unanswered) console.MarkupLine($"[red]no answer from {Markup.Escape(u)}[/]");
    }

    private static string Num(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
