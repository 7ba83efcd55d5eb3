namespace TrafficActors.Host.Commands;

/// <summary>
/// Exit codes of every <c>traffic</c> verb, one table for scripts (README, "Commands"): a code means the same
/// thing whichever verb returns it.
/// </summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The node answered with an error (not found, bad request, timeout inside the node), or the work failed.</summary>
    public const int Error = 1;

    /// <summary>Wrong command line or configuration (a missing endpoint, an option out of range).</summary>
    public const int Usage = 2;

    /// <summary>No answer from a node or a service (connection refused, timeout).</summary>
    public const int Unreachable = 3;

    /// <summary>Refused credentials: no admin token configured on the node (403), a wrong or missing one (401), none set for a verb that writes to Kafka itself, or S3 keys rejected.</summary>
    public const int Refused = 4;

    /// <summary>The S3 bucket name is invalid.</summary>
    public const int InvalidBucket = 5;

    /// <summary>Kafka failed a request (creating the topics), or librdkafka refused a client setting (<c>traffic.kafka.properties</c>).</summary>
    public const int Kafka = 6;
}
