using System.Diagnostics;

namespace TrafficActors.Tracing;

/// <summary>
/// The node's spans of one event: <c>process raw-data</c> (the ingest, from consume to offsets ready to commit),
/// <c>car process</c> (its car), the <c>send</c> of each output and <c>window count</c> (each window bucket that
/// counted it as an alert). Nothing is recorded unless the host listens to <see cref="Source"/>.
/// </summary>
public static class PipelineTracing
{
    public const string SourceName = "TrafficActors";

    public const string CarSpan = "car process";
    public const string WindowSpan = "window count";

    public const string CarId = "traffic.car.id";
    public const string EventId = "traffic.event.id";
    public const string Alert = "traffic.alert";
    public const string Violations = "traffic.violations";
    public const string WindowId = "traffic.window.id";
    public const string WindowDecision = "traffic.window.decision";

    public static readonly ActivitySource Source = new(SourceName);
}
