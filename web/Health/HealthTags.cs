namespace TrafficActors.Web.Health;

/// <summary>Tags of the node's health check registrations: which endpoint runs a check.</summary>
public static class HealthTags
{
    /// <summary>Run by <c>/healthz</c>: only what a restart of the process would fix.</summary>
    public const string Live = "live";

    /// <summary>Run by <c>/ready</c>: whether the node should receive work now.</summary>
    public const string Ready = "ready";
}
