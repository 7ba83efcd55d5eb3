using System.CommandLine;
using Spectre.Console;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Commands;

/// <summary><c>traffic cluster show|leave|down|down-unreachable</c>: membership, and changing it (admin token).</summary>
public static class ClusterCommand
{
    public static Command Create()
    {
        var cmd = new Command("cluster", "Cluster membership: show it, or make members leave / mark them down (needs TRAFFIC_ADMIN_TOKEN)");
        cmd.Subcommands.Add(ManagementClient.Verb(new Command("show", "Members, their status and roles, the leader and unreachable members"), _ => "/cluster", RenderCluster));
        cmd.Subcommands.Add(MemberAction("leave", "Ask a member to leave the cluster gracefully (hands over its shards, then stops)"));
        cmd.Subcommands.Add(MemberAction("down", "Mark a member down (for a member that is gone; its shards move elsewhere)"));
        cmd.Subcommands.Add(ManagementClient.Verb(
            new Command("down-unreachable", "Mark every unreachable member down"), _ => "/cluster/down-unreachable", RenderAction, post: true));
        return cmd;
    }

    private static Command MemberAction(string action, string description)
    {
        var address = new Argument<string>("address") { Description = "Member address, e.g. akka.tcp://traffic@127.0.0.1:4053 (see `traffic cluster show`)" };
        var cmd = new Command(action, description);
        cmd.Arguments.Add(address);
        return ManagementClient.Verb(cmd, r => $"/cluster/{action}?address={Uri.EscapeDataString(r.GetValue(address)!)}", RenderAction, post: true);
    }

    private static void RenderCluster(string body, IAnsiConsole console)
    {
        var view = ManagementClient.Read(body, ManagementJson.Default.ClusterView);
        var table = new Table().AddColumns("address", "status", "roles", "reachable", "leader");
        foreach (var m in view.Members)
        {
            table.AddRow(
                Markup.Escape(m.Address + (m.Self ? " (this node)" : "")), m.Status, Markup.Escape(string.Join(",", m.Roles)),
                m.Reachable ? "yes" : "[red]NO[/]", m.Leader ? "*" : "");
        }

        console.Write(table);
        console.MarkupLine($"leader: {Markup.Escape(view.Leader ?? "none")}");
        console.MarkupLine($"unreachable: {(view.Unreachable.Count == 0 ? "none" : Markup.Escape(string.Join(", ", view.Unreachable)))}");
    }

    private static void RenderAction(string body, IAnsiConsole console)
    {
        var done = ManagementClient.Read(body, ManagementJson.Default.ClusterActionResponse);
        console.MarkupLine(done.Addresses.Count == 0
            ? $"{done.Action}: nothing to do"
            : $"{done.Action} requested for {Markup.Escape(string.Join(", ", done.Addresses))}");
    }
}
