namespace TrafficActors.Windows;

/// <summary>What a window does with an arriving alert.</summary>
public enum WindowDecision
{
    /// <summary>New and in time: goes into the figures.</summary>
    Count,

    /// <summary>Seen before (Kafka redelivery): acknowledged, not counted again.</summary>
    Duplicate,

    /// <summary>New but the window is closed: counted in <c>late</c> only; the figures stay final.</summary>
    Late,
}
