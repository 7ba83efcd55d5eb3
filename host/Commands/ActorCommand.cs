using System.CommandLine;
using Spectre.Console;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Commands;

/// <summary><c>traffic actor hierarchy</c>: the node's local actor tree under /user and /system.</summary>
public static class ActorCommand
{
    public static Command Create()
    {
        var depth = new Option<int?>("--depth") { Description = "Levels below /user and /system (default from hocon: 3)" };
        var hierarchy = new Command("hierarchy", "The node's actor tree under /user and /system, with child counts");
        hierarchy.Options.Add(depth);
        var cmd = new Command("actor", "Actors of one node");
        cmd.Subcommands.Add(ManagementClient.Verb(hierarchy, r => r.GetValue(depth) is { } d ? $"/actors?depth={d}" : "/actors", Render));
        return cmd;
    }

    private static void Render(string body, IAnsiConsole console)
    {
        var view = ManagementClient.Read(body, ManagementJson.Default.HierarchyView);
        foreach (var root in view.Roots)
        {
            var tree = new Tree(Label(root));
            foreach (var child in root.Children) Add(tree.AddNode(Label(child)), child);
            if (root.Omitted > 0 && root.Children.Count > 0) tree.AddNode($"[grey]... {root.Omitted} more[/]");
            console.Write(tree);
        }
    }

    private static void Add(TreeNode node, ActorNode actor)
    {
        foreach (var child in actor.Children) Add(node.AddNode(Label(child)), child);
        if (actor.Omitted > 0 && actor.Children.Count > 0) node.AddNode($"[grey]... {actor.Omitted} more[/]");
    }

    private static string Label(ActorNode a) =>
        a.ChildCount == 0 ? Markup.Escape(a.Path) : $"{Markup.Escape(a.Path)} [grey](children: {a.ChildCount})[/]";
}
