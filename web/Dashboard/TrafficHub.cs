using Microsoft.AspNetCore.SignalR;

namespace TrafficActors.Web.Dashboard;

/// <summary>
/// The dashboard's push channel. Deliberately has no public methods: browsers only listen, so nothing a client
/// invokes can change state (SignalR rejects calls to methods a hub does not declare). All pushes come from
/// <see cref="DashboardRelayActor"/> through <c>IHubContext</c>.
/// </summary>
public sealed class TrafficHub : Hub
{
    /// <summary>Route the hub is mapped to.</summary>
    public const string Path = "/hubs/traffic";

    /// <summary>Client method that receives a <see cref="DashboardUpdate"/>.</summary>
    public const string UpdateMethod = "update";
}
