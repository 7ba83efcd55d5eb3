namespace TrafficActors.Tests.Soak;

/// <summary>
/// One injected fault: what breaks, for how long, how it is healed, and the error-level log lines it may cause
/// (matched as substrings; any other error line fails the soak).
/// </summary>
internal sealed record SoakFault(string Name, TimeSpan Duration, Func<Task> Inject, Func<Task> Heal, IReadOnlyList<string> ExpectedErrors);

/// <summary>When a fault was in effect during the run.</summary>
internal sealed record FaultWindow(string Name, DateTime Start, DateTime End);
