using TrafficActors.Domain;
using TrafficActors.Settings;
using TrafficActors.Metrics;
using TrafficActors.Reference;
using TrafficActors.Rules;

namespace TrafficActors.Cars;

/// <summary>
/// Everything a car actor needs from its node; one instance shared by all car actors of the node.
/// <paramref name="Trace"/> is how much of its past each car keeps for its drill-down (traffic.cars.trace-*).
/// </summary>
public sealed record CarActorContext(
    RuleSetStore Rules,
    ReferenceDataStore Reference,
    ICarOutputs Outputs,
    OutputSettings OutputSettings,
    PipelineMetrics Metrics,
    TraceLimits Trace)
{
    private Akka.Actor.Props? _carProps;

    /// <summary>One Props for every car of the node (a Props per entity would cost ~170 bytes per idle car).</summary>
    internal Akka.Actor.Props CarProps => _carProps ??= CarActor.CreateProps(this);
}
