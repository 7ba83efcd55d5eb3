namespace TrafficActors.Cars;

/// <summary>
/// The car region's hand-off stop message: the car's shard is moving (it follows its Kafka partition to another
/// node) or the node is leaving. The car stops once the window has answered every alert it is waiting for; stopping
/// at once would send those answers to dead letters and leave the ingest stream waiting for its timeout.
/// </summary>
public sealed class HandOffCar
{
    public static readonly HandOffCar Instance = new();

    private HandOffCar()
    {
    }
}
