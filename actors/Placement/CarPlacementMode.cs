namespace TrafficActors.Placement;

/// <summary>See <see cref="CarPlacement"/>.</summary>
public enum CarPlacementMode
{
    KafkaPartitions,
    Hash,
}
