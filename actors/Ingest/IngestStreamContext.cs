using Akka.Actor;
using TrafficActors.Settings;
using TrafficActors.Kafka;
using TrafficActors.Outputs;
using TrafficActors.Metrics;
using TrafficActors.Reference;
using TrafficActors.Rules;

namespace TrafficActors.Ingest;

/// <summary>What the ingest stream needs from its node.</summary>
public sealed record IngestStreamContext(
    TrafficSettings Settings,
    ConsumerSettings ConsumerSettings,
    IActorRef CarRegion,
    IActorRef WindowRegion,
    KafkaOutputs Outputs,
    PipelineMetrics Metrics,
    ReferenceDataStore Reference,
    RuleSetStore Rules,
    TracingSettings Tracing);
