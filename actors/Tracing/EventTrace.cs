using System.Diagnostics;

namespace TrafficActors.Tracing;

/// <summary>
/// The trace one item of a pipeline message belongs to: <paramref name="Index"/> points into the message's list
/// (events or alerts), <paramref name="Context"/> is the span the next hop's span is a child of. Messages carry
/// these only for the few traced events, so an untraced batch pays nothing.
/// </summary>
public readonly record struct EventTrace(int Index, ActivityContext Context);
