using Confluent.Kafka;
using TrafficActors.Tests.Support;
using Xunit;
using TrafficActors.Kafka.Testkit;

namespace TrafficActors.Tests.Kafka;

/// <summary><c>traffic kafka --control-port</c>: brokers taken down and up over HTTP, seen by a real client.</summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class BrokerControlTests
{
    [Fact]
    public async Task Brokers_go_down_and_come_back_on_request_and_clients_notice()
    {
        var port = FreePorts.Next();
        using var broker = TrafficProcess.Start($"kafka --control-port {port}");
        var bootstrap = broker.WaitForLine("Kafka bootstrap:", TimeSpan.FromSeconds(60));
        broker.WaitForLine("Broker control:", TimeSpan.FromSeconds(10));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.Equal("brokers: 3, down: []\n", await http.GetStringAsync("/brokers"));

        var unknown = await http.PostAsync("/brokers/9/down", null);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("brokers are 1..3", await unknown.Content.ReadAsStringAsync());

        Assert.Equal("down: [2]\n", await (await http.PostAsync("/brokers/2/down", null)).Content.ReadAsStringAsync());
        Assert.Equal("down: [1,2,3]\n", await (await http.PostAsync("/brokers/down", null)).Content.ReadAsStringAsync());
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = bootstrap, MessageTimeoutMs = 3000 })
                   .SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build())
        {
            var refused = await Assert.ThrowsAsync<ProduceException<byte[]?, byte[]?>>(() =>
                producer.ProduceAsync("raw-data", new Message<byte[]?, byte[]?> { Value = [1] }));
            Assert.Equal(ErrorCode.Local_MsgTimedOut, refused.Error.Code);
        }

        Assert.Equal("down: []\n", await (await http.PostAsync("/brokers/up", null)).Content.ReadAsStringAsync());
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = bootstrap, MessageTimeoutMs = 20000 }).Build())
        {
            var delivered = await producer.ProduceAsync("raw-data", new Message<byte[]?, byte[]?> { Value = [1] });
            Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        }

        Assert.Contains("Kafka brokers down: [1,2,3]", broker.Output);
    }

    [Fact]
    public void A_control_port_out_of_range_is_a_usage_error()
    {
        using var broker = TrafficProcess.Start("kafka --control-port 70000");
        Assert.True(broker.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(2, broker.ExitCode);
        Assert.Contains("--control-port 70000 is not a port number", broker.Output);
    }
}
