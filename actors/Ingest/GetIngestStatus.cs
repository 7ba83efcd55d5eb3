namespace TrafficActors.Ingest;

/// <summary>Ask the ingest actor whether its consumer runs and which partitions it holds.</summary>
public sealed record GetIngestStatus
{
    public static readonly GetIngestStatus Instance = new();
}
