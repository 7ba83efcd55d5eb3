using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrafficActors.Metrics;

namespace TrafficActors.Web.Health;

/// <summary>
/// <c>window_journal</c>: the window buckets' own journal calls succeed. Fails from the first failed write or
/// recovery until the next success, which <see cref="JournalDatabaseCheck"/> alone would not show while the
/// database answers but the journal's writes fail.
/// </summary>
public sealed class WindowJournalCheck(JournalHealth journal) : IHealthCheck
{
    public const string Name = "window_journal";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(journal.InOutage
            ? HealthCheckResult.Unhealthy($"window journal unreachable ({journal.Failures} failed calls so far); alerts wait until it is back")
            : HealthCheckResult.Healthy("window journal reachable"));
}
