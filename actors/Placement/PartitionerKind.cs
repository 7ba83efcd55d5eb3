namespace TrafficActors.Placement;

/// <summary>How producers map a record key to a partition; the car shards must use the same mapping.</summary>
public enum PartitionerKind
{
    /// <summary>librdkafka / Confluent clients' default (<c>consistent_random</c>): CRC-32 of the key.</summary>
    Consistent,

    /// <summary>The Java client's (and kafka-python's) default: Kafka's murmur2 of the key.</summary>
    Murmur2,
}
