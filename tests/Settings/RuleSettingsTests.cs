using TrafficActors.Rules;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Settings;

/// <summary>The seed thresholds the tests judge with are the ones the shipped traffic.conf gives a node.</summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class RuleSettingsTests
{
    [Fact]
    public void The_shipped_rules_are_the_seed_defaults()
    {
        var rules = TrafficSettings.FromConfig(ShippedConfig.Load(new Dictionary<string, string>())).Rules;
        Assert.Equal(RuleSettings.SeedDefaults, rules);
    }
}
