using Xunit;

namespace TrafficActors.Tests.Dashboard;

/// <summary>
/// The dashboard tests each start a broker, a node and (one of them) a browser, and one measures push latency:
/// they run on their own, after the parallel tests, so they neither starve timing-sensitive Kafka tests nor get
/// starved by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DashboardCollection
{
    public const string Name = "Dashboard";
}
