namespace TrafficActors.Web.Management;

/// <summary>Outcome of checking a request against the admin token.</summary>
public enum AdminAccess
{
    /// <summary>The bearer token matches.</summary>
    Granted,

    /// <summary>The node has no admin token: cluster-changing routes are switched off (403).</summary>
    NotConfigured,

    /// <summary>No bearer token, or a wrong one (401).</summary>
    Denied,
}
