namespace TrafficActors.Persistence;

/// <summary>
/// A node with the windows role was pointed at a journal database other than the one its cluster uses: its window
/// buckets would be split across two journals.
/// </summary>
public sealed class JournalMismatchException(string local, string cluster) : Exception(
    $"this node's journal (identity {local}) is not the cluster's journal (identity {cluster}): " +
    "start every node with the windows role on the same database (TRAFFIC_DB_PROVIDER / TRAFFIC_DB_CONNECTION)")
{
    public string Local { get; } = local;

    public string Cluster { get; } = cluster;
}
