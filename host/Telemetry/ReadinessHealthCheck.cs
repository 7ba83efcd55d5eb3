using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrafficActors.Web.Management;

namespace TrafficActors.Host.Telemetry;

/// <summary>
/// The node's readiness (<see cref="NodeReadiness"/>) as an ASP.NET Core health check, so the readiness gauge reads
/// it through <see cref="HealthCheckService"/> like any other registered check.
/// </summary>
internal sealed class ReadinessHealthCheck(NodeReadiness readiness) : IHealthCheck
{
    public const string Name = "readiness";

    /// <summary>Tag of the checks that decide readiness.</summary>
    public const string ReadyTag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await readiness.CheckAsync(cancellationToken);
        var data = report.Checks.ToDictionary(c => c.Name, c => (object)c.Ok, StringComparer.Ordinal);
        return report.Status == NodeReadiness.Ready
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Unhealthy(string.Join("; ", report.Checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}")), data: data);
    }
}
