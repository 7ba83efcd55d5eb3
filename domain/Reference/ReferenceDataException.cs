namespace TrafficActors.Reference;

/// <summary>A reference file that cannot be used, with the file, line and reason an operator needs to fix it.</summary>
public sealed class ReferenceDataException(string file, int line, string reason)
    : Exception(line > 0 ? $"{file}:{line}: {reason}" : $"{file}: {reason}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string Reason { get; } = reason;
}
