using Akka.Actor;

namespace TrafficActors.Web.Management;

/// <summary>Walks the local actor tree under /user and /system (children of actors that live in this process).</summary>
public static class ActorHierarchy
{
    private static readonly string[] Roots = ["user", "system"];

    public static HierarchyView Walk(ActorSystem system, int depth, int maxChildren)
    {
        var root = ((ExtendedActorSystem)system).Provider.RootGuardian;
        var roots = Children(root)
            .Where(c => Roots.Contains(c.Path.Name, StringComparer.Ordinal))
            .OrderBy(c => Array.IndexOf(Roots, c.Path.Name))
            .Select(c => Node(c, depth, maxChildren))
            .ToArray();
        return new HierarchyView(depth, roots);
    }

    private static ActorNode Node(IActorRef actor, int depth, int maxChildren)
    {
        var children = Children(actor);
        var shown = depth > 0
            ? children.OrderBy(c => c.Path.Name, StringComparer.Ordinal).Take(maxChildren).Select(c => Node(c, depth - 1, maxChildren)).ToArray()
            : [];
        return new ActorNode(actor.Path.Name, actor.Path.ToStringWithoutAddress(), children.Count, shown, children.Count - shown.Length);
    }

    // Only local actors expose their children; remote refs and deployed-elsewhere children count as leaves.
    private static List<IActorRef> Children(IActorRef actor) =>
        actor is ActorRefWithCell cell ? cell.Children.Cast<IActorRef>().ToList() : [];
}
