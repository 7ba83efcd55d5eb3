namespace TrafficActors.Web.Dashboard;

/// <summary>
/// What <see cref="TrafficHub.SubscribeCar"/> and <see cref="TrafficHub.UnsubscribeCar"/> answer: whether the
/// connection now watches the car, and if not, why. A refusal is an answer, not a server failure, so it is not
/// thrown (SignalR would log every refused id of a misbehaving client as an error of the node).
/// </summary>
public sealed record CarSubscription(bool Watching, string? Error)
{
    public static CarSubscription Refused(string error) => new(false, error);
}
