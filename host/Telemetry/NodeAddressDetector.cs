using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Resources;

namespace TrafficActors.Host.Telemetry;

/// <summary>
/// <c>service.instance.id</c> of the node: its cluster address (<c>akka.tcp://traffic@host:port</c>), which tells the
/// nodes apart and is known only once the actor system has bound its port (0 means any free one).
/// </summary>
internal sealed class NodeAddressDetector(IServiceProvider services) : IResourceDetector
{
    private const string InstanceId = "service.instance.id";

    public Resource Detect() =>
        new([new KeyValuePair<string, object>(InstanceId, Cluster.Get(services.GetRequiredService<ActorSystem>()).SelfAddress.ToString())]);
}
