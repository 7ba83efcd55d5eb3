namespace TrafficActors.Reference;

/// <summary>One reference file's content and the name it was stored under (the name decides CSV or JSON).</summary>
public sealed record ReferenceDocument(string Name, string Text)
{
    public bool IsJson => Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
}
