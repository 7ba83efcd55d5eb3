using System.Net;
using System.Net.Sockets;
using TrafficActors.Host.Node;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Commands;

/// <summary>
/// The management endpoint is a second listener of the node's one host: its routes answer only on its port, the
/// API and the page only on theirs, the health probes on both, whatever Host header a client sends.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class ManagementListenerTests
{
    [Fact]
    public async Task Each_listener_serves_its_own_routes_and_health_is_on_both()
    {
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        await using var node = await TrafficNode.StartAsync(TestNodes.Options(broker, dir, "traffic.management.port = 0"));
        using var http = new HttpClient();
        Assert.NotEqual(new Uri(node.BaseUrl).Port, new Uri(node.ManagementUrl).Port);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(node.ManagementUrl + "/cluster")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(node.ManagementUrl + "/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(node.BaseUrl + "/cluster")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(node.BaseUrl + "/metrics")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(node.BaseUrl + "/api/info")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(node.ManagementUrl + "/api/info")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(node.ManagementUrl + "/")).StatusCode);

        foreach (var url in new[] { node.BaseUrl, node.ManagementUrl })
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url + "/healthz")).StatusCode);

        // The listener is the connection's port, not the Host header a client chooses.
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, node.BaseUrl + "/cluster");
        spoofed.Headers.Host = new Uri(node.ManagementUrl).Authority;
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(spoofed)).StatusCode);
    }

    [Fact]
    public async Task A_taken_management_port_falls_back_to_a_free_one_when_allowed()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var broker = PipelineEndToEndTests.StartBroker();
        using var dir = new TempDir();
        await using var node = await TrafficNode.StartAsync(TestNodes.Options(
            broker, dir, $"traffic.management.host = \"127.0.0.1\"\ntraffic.management.port = {port}\ntraffic.management.fallback-to-free-port = on"));

        Assert.NotEqual(port, new Uri(node.ManagementUrl).Port);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(node.ManagementUrl + "/healthz")).StatusCode);
    }
}
