namespace TrafficActors.Web.Dashboard;

/// <summary>Timer message of <see cref="NodeRatePublisher"/>.</summary>
public sealed record PublishRate
{
    public static readonly PublishRate Instance = new();

    private PublishRate()
    {
    }
}
