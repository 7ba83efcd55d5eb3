namespace TrafficActors.Web.Api;

/// <summary>Facts about this node that the API reports; filled in by the host once the node has started.</summary>
public sealed class NodeInfo
{
    public required string KafkaBootstrap { get; init; }

    public required bool EmbeddedKafka { get; init; }

    public required IReadOnlyList<string> Roles { get; init; }

    public required TopicNames Topics { get; init; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
}

/// <summary>The four topics this node reads and writes.</summary>
public sealed record TopicNames(string Raw, string Enriched, string Alerts, string Dlq);
