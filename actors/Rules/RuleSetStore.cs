using TrafficActors.Rules;

namespace TrafficActors.Rules;

/// <summary>
/// The node-wide rules in force. Car actors read <see cref="Current"/> once per batch without messaging or I/O, so
/// every event of a batch is judged by one version; the rules actor swaps a validated new version in atomically.
/// </summary>
public sealed class RuleSetStore
{
    private RuleSet _current;
    private RulesStatus _status;
    private volatile bool _settled;

    public RuleSetStore(RuleSet initial, string source)
    {
        _current = initial;
        _status = new RulesStatus(initial.Version, source, DateTimeOffset.UtcNow, null);
    }

    public RuleSet Current => Volatile.Read(ref _current);

    /// <summary>
    /// True once the node has looked at its rules source (or its last good copy) for the first time. The ingest stream
    /// starts only then, so a starting node never judges events by its HOCON defaults while a document is in force.
    /// </summary>
    public bool IsSettled => _settled;

    public void Settle() => _settled = true;

    /// <summary>Where the version in force came from and the last rejection still standing, for the API and the verbs.</summary>
    public RulesStatus Status => Volatile.Read(ref _status);

    public void Swap(RuleSet next, string source, DateTimeOffset at)
    {
        Volatile.Write(ref _current, next);
        Volatile.Write(ref _status, new RulesStatus(next.Version, source, at, null));
    }

    /// <summary>Records why a newer document was refused (null once none is); the version in force stays.</summary>
    public void Report(string? error)
    {
        var status = Status;
        if (status.Error != error) Volatile.Write(ref _status, status with { Error = error });
    }
}

/// <summary>The rules in force on a node: version, where it came from, since when, and a rejected newer document.</summary>
public sealed record RulesStatus(string Version, string Source, DateTimeOffset Since, string? Error);
