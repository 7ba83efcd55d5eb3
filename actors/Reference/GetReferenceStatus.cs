namespace TrafficActors.Reference;

/// <summary>Ask the reference-data actor for its state; answered with <see cref="ReferenceStatus"/>.</summary>
public sealed record GetReferenceStatus
{
    public static readonly GetReferenceStatus Instance = new();
}
