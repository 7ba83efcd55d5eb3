namespace TrafficActors.Host.Commands;

/// <summary>Exit codes of the <c>traffic</c> verbs, documented in the README for scripts.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The node answered with an error (not found, bad request, timeout inside the node), or a node failed.</summary>
    public const int Error = 1;

    /// <summary>Wrong command line.</summary>
    public const int Usage = 2;

    /// <summary>No answer from the node (connection refused, timeout).</summary>
    public const int Unreachable = 3;

    /// <summary>The node refused a cluster change: no admin token configured there (403) or a wrong/missing one (401).</summary>
    public const int Refused = 4;
}
