namespace TrafficActors.Host.Init;

/// <summary>What <c>traffic init</c> was asked to do.</summary>
public sealed record InitOptions
{
    /// <summary>Upload a generated deterministic fleet of this many cars instead of the shipped files.</summary>
    public int? Cars { get; init; }

    /// <summary>Overwrite reference objects that are already in the bucket.</summary>
    public bool Force { get; init; }

    /// <summary>A real Kafka cluster to create the topics on; null = TRAFFIC_KAFKA_BOOTSTRAP / HOCON.</summary>
    public string? KafkaBootstrap { get; init; }

    /// <summary>Extra HOCON on top of the configuration (tests use it instead of environment variables).</summary>
    public string? ExtraHocon { get; init; }
}
