namespace TrafficActors.Web.Dashboard;

/// <summary>Answer to <see cref="WatchCar"/>: null <paramref name="Refusal"/> = watching; otherwise why not.</summary>
public sealed record CarWatchReply(string? Refusal)
{
    public static CarWatchReply Accepted { get; } = new((string?)null);
}
