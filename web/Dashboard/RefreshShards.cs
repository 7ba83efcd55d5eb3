namespace TrafficActors.Web.Dashboard;

/// <summary>Timer message of <see cref="DashboardRelayActor"/>: time to ask the car region for shards per node.</summary>
public sealed record RefreshShards
{
    public static readonly RefreshShards Instance = new();

    private RefreshShards()
    {
    }
}
