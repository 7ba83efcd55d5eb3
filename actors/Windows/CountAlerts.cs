using TrafficActors.Domain;
using TrafficActors.Tracing;

namespace TrafficActors.Windows;

/// <summary>
/// Ask a window bucket to count a batch of alerts (all of this bucket); answered once with
/// <see cref="AlertBatchCounted"/> when every one of them is durably counted (or known as a duplicate or late).
/// Sending the same batch again is harmless: the bucket recognises each alert by its event id. A bucket's alerts of
/// one ingest batch may come in several parts (<paramref name="Part"/> counts from 0) so that no message outgrows
/// what the remote transport carries. <paramref name="Traces"/> are the traced alerts among them (indexes into
/// <paramref name="Alerts"/>), null when none is.
/// </summary>
public sealed record CountAlerts(
    string WindowId, DateTimeOffset WindowStart, TimeSpan WindowLength, IReadOnlyList<Alert> Alerts, long Sequence, int Part,
    IReadOnlyList<EventTrace>? Traces = null) : IWindowMessage;
