using TrafficActors.Rules;

namespace TrafficActors.Web.Api;

/// <summary><c>GET /api/info</c>.</summary>
public sealed record InfoResponse(
    string KafkaBootstrap,
    bool EmbeddedKafka,
    IReadOnlyList<string> Roles,
    string NodeAddress,
    string ClusterStatus,
    int ClusterMembers,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    TopicNames Topics,
    ReferenceInfo Reference,
    RulesInfo Rules,
    StatsResponse Stats);

/// <summary>Reference data as the node currently serves it.</summary>
public sealed record ReferenceInfo(bool Loaded, string Version, int Cars, int Models, int Colors);

/// <summary>The detection rules in force on the node: version (alerts carry it as <c>rules_version</c>), source, since when, and a rejected newer document.</summary>
public sealed record RulesInfo(string Version, string Source, DateTimeOffset Since, string? Error)
{
    public static RulesInfo From(RulesStatus status) => new(status.Version, status.Source, status.Since, status.Error);
}
