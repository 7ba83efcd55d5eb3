using Xunit;
using static TrafficActors.Tests.Soak.IngestProgressSampler;

namespace TrafficActors.Tests.Soak;

/// <summary>How the soak measures a node's longest flat ingest stretch from its samples.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class IngestProgressSamplerTests
{
    private static readonly DateTime T0 = new(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc);

    private static Sample At(double seconds, long consumed, long lag, int pid = 1) =>
        new(T0.AddSeconds(seconds), "node1", pid, consumed, lag, 0);

    [Fact]
    public void A_count_that_stays_put_while_lag_waits_is_a_flat_stretch()
    {
        var flat = Longest("node1", [At(0, 10, 5), At(1, 20, 5), At(2, 20, 7), At(3, 20, 9), At(4, 20, 9), At(5, 30, 2)]);
        Assert.Equal(TimeSpan.FromSeconds(3), flat.Length);
        Assert.Equal(T0.AddSeconds(1), flat.From);
    }

    [Fact]
    public void No_lag_means_idle_not_flat_and_a_gap_or_a_restart_ends_a_stretch()
    {
        Assert.Equal(TimeSpan.Zero, Longest("node1", [At(0, 10, 0), At(1, 10, 0), At(2, 10, 0)]).Length);
        Assert.Equal(TimeSpan.FromSeconds(1), Longest("node1", [At(0, 10, 3), At(1, 10, 3), At(5, 10, 3), At(6, 10, 3)]).Length);
        Assert.Equal(TimeSpan.FromSeconds(1), Longest("node1", [At(0, 10, 3), At(1, 10, 3), At(2, 10, 3, pid: 2)]).Length);
    }
}
