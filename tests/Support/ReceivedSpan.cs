namespace TrafficActors.Tests.Support;

/// <summary>One span as a collector received it; ids in lower-case hex, <see cref="ParentSpanId"/> empty for a root.</summary>
public sealed record ReceivedSpan(
    string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, int Status, IReadOnlyDictionary<string, string> Attributes);
