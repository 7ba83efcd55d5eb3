namespace TrafficActors.Tests;

/// <summary>
/// The tiers a test class belongs to, as an xunit trait (<c>[Trait(Tier.Name, Tier.Fast)]</c>) that
/// <c>dotnet test --filter Tier=Fast</c> selects on; <c>./test.sh --fast</c> runs the fast tier alone.
/// It sits in the tests' root namespace, so every test namespace sees it without a using.
/// </summary>
public static class Tier
{
    /// <summary>Trait name every test class carries exactly once (checked by <c>TierTraitTests</c>).</summary>
    public const string Name = "Tier";

    /// <summary>Pure logic and Akka TestKit tests in the test process: no child process, broker, database, browser or HTTP host.</summary>
    public const string Fast = "Fast";

    /// <summary>Real components: the embedded Kafka broker, S3 server, PostgreSQL, Chromium, an HTTP host or a child process.</summary>
    public const string Integration = "Integration";

    /// <summary>Several node processes forming one cluster.</summary>
    public const string Cluster = "Cluster";

    /// <summary>The long run under load with faults injected.</summary>
    public const string Soak = "Soak";

    public static readonly IReadOnlyList<string> All = [Fast, Integration, Cluster, Soak];
}
