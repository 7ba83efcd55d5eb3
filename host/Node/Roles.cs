namespace TrafficActors.Host.Node;

/// <summary>Cluster roles a node can have; the all-in-one has all of them.</summary>
public static class Roles
{
    public const string Ingest = "ingest";
    public const string Cars = "cars";
    public const string Windows = "windows";
    public const string Web = "web";
}
