using TrafficActors.Metrics;
using TrafficActors.Outputs;
using TrafficActors.Persistence;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Settings;

namespace TrafficActors.Host.Node;

/// <summary>What a node builds once before its actor system starts and hands to the actors it creates.</summary>
public sealed record NodeParts(
    TrafficSettings Settings,
    PipelineMetrics Metrics,
    ReferenceDataStore Reference,
    RuleSetStore Rules,
    KafkaOutputs Outputs,
    JournalDatabase Journal,
    TimeProvider Clock,
    MetricsSettings MetricsSettings,
    TracingSettings Tracing);
