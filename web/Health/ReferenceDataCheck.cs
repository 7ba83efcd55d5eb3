using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrafficActors.Reference;

namespace TrafficActors.Web.Health;

/// <summary><c>reference_data</c>: the cars, models and colours are loaded, so events can be enriched.</summary>
public sealed class ReferenceDataCheck(ReferenceDataStore reference) : IHealthCheck
{
    public const string Name = "reference_data";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(reference.IsLoaded
            ? HealthCheckResult.Healthy(reference.Current.Version)
            : HealthCheckResult.Unhealthy("reference data not loaded yet"));
}
