using TrafficActors.Host.Node;
using TrafficActors.Kafka;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Tests.Support;
using TrafficActors.Windows;
using TrafficActors.Kafka.Testkit;

namespace TrafficActors.Tests.Dashboard;

/// <summary>
/// An embedded broker and one all-roles node without the generator, fed only by the known datasets a test produces,
/// so every figure the dashboard shows is predictable.
/// </summary>
internal sealed class DashboardTestNode : IAsyncDisposable
{
    // Only the stateless rules, so the oracle in Dataset predicts every alert; windows publish fast so a push
    // follows processing quickly. The rules file is also checked every second, should the system drop a change notice.
    private const string Hocon = """
        traffic.rules.harsh-braking.enabled = off
        traffic.rules.sustained-overspeed.enabled = off
        traffic.windows.publish-interval = 50ms
        traffic.node.stats-interval = 1s
        traffic.live-rules.poll-interval = 1s
        """;

    private readonly EmbeddedKafkaCluster _broker;
    private readonly TempDir _dir;

    private DashboardTestNode(EmbeddedKafkaCluster broker, TempDir dir, TrafficNode node)
    {
        _broker = broker;
        _dir = dir;
        Node = node;
    }

    public TrafficNode Node { get; }

    /// <summary>The rules document the node watches (S3 is off).</summary>
    public string RulesFile => Node.Settings.LiveRules.ResolveFile(Node.Settings.DataDir);

    /// <summary>Start of the minute before now: recent enough that no window closes while a test runs.</summary>
    public static DateTimeOffset DatasetStart() => WindowKey.StartOf(DateTimeOffset.UtcNow.AddSeconds(-60), TimeSpan.FromMinutes(1));

    public static async Task<DashboardTestNode> StartAsync()
    {
        var broker = PipelineEndToEndTests.StartBroker();
        var dir = new TempDir();
        try
        {
            var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, Hocon));
            return new DashboardTestNode(broker, dir, node);
        }
        catch
        {
            dir.Dispose();
            broker.Dispose();
            throw;
        }
    }

    public Task ProduceAsync(Dataset data) => KafkaTestClient.ProduceAllAsync(_broker.BootstrapServers, "raw-data", data.Messages());

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        _broker.Dispose();
        _dir.Dispose();
    }
}
