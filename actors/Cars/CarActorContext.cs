using TrafficActors.Settings;
using TrafficActors.Metrics;
using TrafficActors.Reference;
using TrafficActors.Rules;

namespace TrafficActors.Cars;

/// <summary>Everything a car actor needs from its node; one instance shared by all car actors of the node.</summary>
public sealed record CarActorContext(
    RuleEngine Rules,
    ReferenceDataStore Reference,
    ICarOutputs Outputs,
    OutputSettings OutputSettings,
    PipelineMetrics Metrics)
{
    private Akka.Actor.Props? _carProps;

    /// <summary>One Props for every car of the node (a Props per entity would cost ~170 bytes per idle car).</summary>
    internal Akka.Actor.Props CarProps => _carProps ??= CarActor.CreateProps(this);
}
