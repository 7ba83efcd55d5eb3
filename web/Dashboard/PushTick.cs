namespace TrafficActors.Web.Dashboard;

/// <summary>Timer message of <see cref="DashboardRelayActor"/>: time to consider a push.</summary>
public sealed record PushTick
{
    public static readonly PushTick Instance = new();

    private PushTick()
    {
    }
}
