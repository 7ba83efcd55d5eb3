using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TrafficActors.Web.Health;

/// <summary>
/// <c>member_up</c>: this node is an Up member of the cluster now. Akka.Cluster.Hosting's own readiness check does
/// not fit: it also passes on WeaklyUp and stays healthy once the node has joined, while a node that is leaving or
/// was downed must stop receiving work.
/// </summary>
public sealed class MemberUpCheck(ActorSystem system) : IHealthCheck
{
    public const string Name = "member_up";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = Cluster.Get(system).SelfMember.Status;
        return Task.FromResult(status == MemberStatus.Up ? HealthCheckResult.Healthy(status.ToString()) : HealthCheckResult.Unhealthy(status.ToString()));
    }
}
