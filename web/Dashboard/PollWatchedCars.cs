namespace TrafficActors.Web.Dashboard;

/// <summary>Timer message of <see cref="CarWatchActor"/>: time to ask every watched car for its status.</summary>
public sealed record PollWatchedCars
{
    public static readonly PollWatchedCars Instance = new();

    private PollWatchedCars()
    {
    }
}
