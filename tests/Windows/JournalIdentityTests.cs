using System.Globalization;
using TrafficActors.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Windows;

/// <summary>Members with the windows role must all write to the cluster's one journal database.</summary>
[Trait(Tier.Name, Tier.Cluster)]
public sealed class JournalIdentityTests(ITestOutputHelper output)
{
    // Nothing listens there: window nodes do not need Kafka to join and be checked.
    private const string NoBroker = "127.0.0.1:9";

    [Fact]
    public void A_windows_node_on_another_journal_is_refused_and_one_on_the_same_journal_or_without_the_role_is_not()
    {
        using var dir = new TempDir();
        var shared = Path.Combine(dir.Path, "shared.db");
        var other = Path.Combine(dir.Path, "other.db");
        var seedPort = FreePorts.Next();
        var seed = $"akka.tcp://traffic@127.0.0.1:{seedPort}";

        using var first = Start("first", "windows", seedPort, seed, shared);
        first.WaitForLine("Node up:", TimeSpan.FromSeconds(60));

        using var wrong = Start("wrong", "windows", FreePorts.Next(), seed, other);
        try
        {
            Assert.True(wrong.WaitForExit(TimeSpan.FromSeconds(60)), "the node on another journal kept running");
            Assert.Equal(1, wrong.ExitCode);
            Assert.Contains("is not the cluster's journal", wrong.Output);
            Assert.DoesNotContain("Node up:", wrong.Output);

            // The legit cases: the same database under another data folder, and a node without the windows role.
            using var same = Start("same", "windows", FreePorts.Next(), seed, shared);
            using var web = Start("web", "web", FreePorts.Next(), seed, other);
            same.WaitForLine("Node up:", TimeSpan.FromSeconds(60));
            web.WaitForLine("Node up:", TimeSpan.FromSeconds(60));
            Assert.False(same.HasExited);
            Assert.False(web.HasExited);
        }
        catch
        {
            output.WriteLine($"--- first ---\n{first.Output}\n--- wrong ---\n{wrong.Output}");
            throw;
        }

        TrafficProcess Start(string name, string roles, int port, string seeds, string db)
        {
            var data = Path.Combine(dir.Path, name);
            Directory.CreateDirectory(data);
            return TrafficProcess.Start(
                $"node --roles {roles} --port {port} --seed-nodes {seeds} --kafka-bootstrap {NoBroker} --urls http://127.0.0.1:0 --data-dir {data}",
                new Dictionary<string, string>
                {
                    ["TRAFFIC_DB_PROVIDER"] = "sqlite",
                    ["TRAFFIC_DB_CONNECTION"] = $"Data Source={db};Pooling=true",
                    ["TRAFFIC_MANAGEMENT_PORT"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                });
        }
    }
}
