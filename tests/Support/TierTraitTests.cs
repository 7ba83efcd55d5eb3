using System.Reflection;
using Xunit;

namespace TrafficActors.Tests.Support;

/// <summary>
/// A test class without its tier would silently drop out of <c>./test.sh --fast</c> or hide in it while starting
/// processes, so every class with a test names exactly one known tier, and no test method picks its own.
/// </summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class TierTraitTests
{
    [Fact]
    public void Every_test_class_carries_exactly_one_known_tier()
    {
        var classes = typeof(TierTraitTests).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && Tests(t).Any())
            .ToArray();
        Assert.NotEmpty(classes);

        var offenders = new List<string>();
        foreach (var type in classes)
        {
            var tiers = TierValues(type).ToArray();
            if (tiers.Length != 1)
                offenders.Add($"{type.FullName}: {tiers.Length} {Tier.Name} traits ({string.Join(", ", tiers)})");
            else if (!Tier.All.Contains(tiers[0]))
                offenders.Add($"{type.FullName}: unknown {Tier.Name} '{tiers[0]}' (known: {string.Join(", ", Tier.All)})");

            offenders.AddRange(Tests(type).Where(m => TierValues(m).Any()).Select(m => $"{type.FullName}.{m.Name}: a {Tier.Name} trait on the method"));
        }

        Assert.True(offenders.Count == 0, $"test classes need exactly one [Trait(Tier.Name, Tier.X)] on the class:\n{string.Join("\n", offenders)}");
    }

    private static IEnumerable<MethodInfo> Tests(Type type) =>
        type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any());

    private static IEnumerable<string?> TierValues(MemberInfo member) =>
        member.GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(TraitAttribute) && a.ConstructorArguments.Count == 2
                && (string?)a.ConstructorArguments[0].Value == Tier.Name)
            .Select(a => (string?)a.ConstructorArguments[1].Value);
}
