using System.Text.Json.Serialization;
using TrafficActors.Domain;

namespace TrafficActors.Web.Api;

/// <summary>Source-generated JSON for the HTTP API: snake_case like the topics.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(InfoResponse))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(WindowResponse[]))]
[JsonSerializable(typeof(Alert[]))]
[JsonSerializable(typeof(ProblemResponse))]
[JsonSerializable(typeof(TrafficActors.Web.Cars.CarDetails))]
[JsonSerializable(typeof(TrafficActors.Web.Dashboard.DashboardUpdate))]
[JsonSerializable(typeof(TrafficActors.Web.Dashboard.CarSubscription))]
public sealed partial class ApiJson : JsonSerializerContext;
