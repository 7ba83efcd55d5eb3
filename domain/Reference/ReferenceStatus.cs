namespace TrafficActors.Reference;

/// <summary>What the node's reference cache holds.</summary>
public sealed record ReferenceStatus(bool Loaded, string Version, string Source, int Models, int Colors, int Cars, string? LastError);
