using TrafficActors.Host.Node;
using TrafficActors.Kafka;
using TrafficActors.Kafka.Testkit;

namespace TrafficActors.Tests.Support;

/// <summary>The node options every in-process integration test starts from: given broker, any free port, no generator.</summary>
internal static class TestNodes
{
    public static NodeOptions Options(EmbeddedKafkaCluster broker, TempDir dir, string? hocon = null) => new()
    {
        KafkaBootstrap = broker.BootstrapServers,
        Generator = false,
        Urls = "http://127.0.0.1:0",
        DataDir = dir.Path,
        // The node reads from the test's embedded broker, so it takes that broker's client profile.
        ExtraHocon = "traffic.kafka.embedded.profile = on\n" + hocon,
    };
}
