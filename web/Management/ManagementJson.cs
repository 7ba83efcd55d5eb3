using System.Text.Json.Serialization;
using TrafficActors.Web.Api;
using TrafficActors.Web.Health;

namespace TrafficActors.Web.Management;

/// <summary>Source-generated snake_case JSON of the management endpoint; the verbs read it back with the same types.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ClusterView))]
[JsonSerializable(typeof(ClusterActionResponse))]
[JsonSerializable(typeof(HierarchyView))]
[JsonSerializable(typeof(RegionsView))]
[JsonSerializable(typeof(RegionStatsView))]
[JsonSerializable(typeof(CarView))]
[JsonSerializable(typeof(TrafficActors.Web.Api.WindowResponse[]))]
[JsonSerializable(typeof(KafkaLagView))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(ProblemResponse))]
[JsonSerializable(typeof(RulesView))]
[JsonSerializable(typeof(RulesSetView))]
public sealed partial class ManagementJson : JsonSerializerContext;
