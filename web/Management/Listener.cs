namespace TrafficActors.Web.Management;

/// <summary>Which of the node's listeners an endpoint answers on.</summary>
public enum Listener
{
    /// <summary>The HTTP API and dashboard (<c>traffic.web.urls</c>); endpoints without metadata.</summary>
    Public,

    /// <summary>The management endpoint (<c>traffic.management.host/port</c>).</summary>
    Management,

    /// <summary>Both, like the health probes.</summary>
    Both,
}
