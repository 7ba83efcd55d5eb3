namespace TrafficActors.Reference;

/// <summary>
/// The node-wide current reference version. Car actors read it on every event without messaging or I/O; the
/// reference-data actor swaps in a validated new version atomically.
/// </summary>
public sealed class ReferenceDataStore
{
    private ReferenceSnapshot _current;

    public ReferenceDataStore(ReferenceSnapshot? initial = null) => _current = initial ?? ReferenceSnapshot.Empty;

    public ReferenceSnapshot Current => Volatile.Read(ref _current);

    public bool IsLoaded => !ReferenceEquals(Current, ReferenceSnapshot.Empty);

    public void Swap(ReferenceSnapshot next) => Volatile.Write(ref _current, next);
}
