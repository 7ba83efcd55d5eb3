namespace TrafficActors.Reference;

/// <summary>One reference object found in the bucket: its name (.csv or .json) and its current ETag.</summary>
public sealed record ReferenceObject(string Name, string ETag);
