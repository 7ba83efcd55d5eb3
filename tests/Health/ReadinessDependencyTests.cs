using System.Net;
using System.Text.Json;
using TrafficActors.Host.Node;
using TrafficActors.Kafka.Testkit;
using TrafficActors.Tests.Pipeline;
using TrafficActors.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TrafficActors.Tests.Health;

/// <summary>
/// <c>/ready</c> follows the node's real dependencies: a stopped PostgreSQL journal database fails
/// <c>journal_database</c> until it is back, brokers taken down fail <c>kafka_brokers</c>; <c>/healthz</c> stays 200
/// throughout, because restarting the node would mend neither.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class ReadinessDependencyTests(ReadinessDependencyTests.Node node, ITestOutputHelper output) : IClassFixture<ReadinessDependencyTests.Node>
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Both outages in turn on the one node, the brokers last: clients of the embedded broker can keep waiting on a
    /// request sent into the outage until their socket timeout after it ends, and nothing after it waits for that.
    /// </summary>
    [Fact]
    public async Task Ready_fails_naming_the_journal_database_or_the_Kafka_brokers_while_they_are_down_and_healthz_stays_up()
    {
        await ReadyAsync("before the outages");

        node.Postgres.Stop();
        try
        {
            var failed = await FailingAsync("journal_database");
            Assert.Contains("journal database (postgresql)", failed.GetProperty("detail").GetString());
        }
        finally
        {
            node.Postgres.Start();
        }

        await ReadyAsync("after PostgreSQL restarted");

        var brokers = Enumerable.Range(1, node.Broker.BrokerCount).ToArray();
        foreach (var b in brokers) node.Broker.SetBrokerDown(b);
        try
        {
            var failed = await FailingAsync("kafka_brokers");
            Assert.Contains("Kafka brokers", failed.GetProperty("detail").GetString());
        }
        finally
        {
            foreach (var b in brokers) node.Broker.SetBrokerUp(b);
        }
    }

    /// <summary>Polls <c>/ready</c> until it is 503 with <paramref name="name"/> failed; every answer of <c>/healthz</c> meanwhile is 200.</summary>
    private async Task<JsonElement> FailingAsync(string name)
    {
        JsonElement? failed = null;
        var last = "";
        await Poll.Until(
            async () =>
            {
                Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync(node.Url + "/healthz")).StatusCode);
                using var ready = await node.Http.GetAsync(node.Url + "/ready");
                last = await ready.Content.ReadAsStringAsync();
                if (ready.StatusCode != HttpStatusCode.ServiceUnavailable) return false;
                using var body = JsonDocument.Parse(last);
                Assert.Equal("not_ready", body.RootElement.GetProperty("status").GetString());
                var check = Check(body.RootElement, name);
                if (check.GetProperty("ok").GetBoolean()) return false;
                failed = check.Clone();
                return true;
            },
            Settle, () => $"/ready to fail {name}; last answer {last}");
        output.WriteLine(last);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync(node.Url + "/healthz")).StatusCode);
        return failed!.Value;
    }

    private Task ReadyAsync(string when)
    {
        var last = "";
        return Poll.Until(
            async () =>
            {
                using var ready = await node.Http.GetAsync(node.Url + "/ready");
                last = await ready.Content.ReadAsStringAsync();
                return ready.StatusCode == HttpStatusCode.OK;
            },
            Settle, () => $"/ready 200 {when}; last answer {last}");
    }

    private static JsonElement Check(JsonElement report, string name) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>One node with every role on its own broker and a PostgreSQL journal, shared by the class.</summary>
    public sealed class Node : IAsyncLifetime
    {
        private readonly TempDir _dir = new();
        private TrafficNode? _node;

        public PostgresServer Postgres { get; } = new();

        public EmbeddedKafkaCluster Broker { get; } = PipelineEndToEndTests.StartBroker();

        public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

        /// <summary>The management endpoint; its probes are the ones a container health check asks.</summary>
        public string Url => _node!.ManagementUrl;

        public async Task InitializeAsync()
        {
            var connection = Postgres.CreateDatabase("readiness");
            // The dependency checks answer within a second here and reuse an answer briefly, so an outage and its
            // end show within a few polls; no warm-up, whose background queries the outage would only fail.
            _node = await TrafficNode.StartAsync(TestNodes.Options(Broker, _dir, $"""
                traffic.management.port = 0
                traffic.persistence.provider = postgresql
                traffic.persistence.connection-string = "{connection}"
                traffic.management.health.cache-for = 200ms
                traffic.management.health.database-timeout = 1s
                traffic.management.health.kafka-timeout = 1s
                traffic.persistence.warm-up = off
                """));
        }

        public async Task DisposeAsync()
        {
            if (_node is not null) await _node.DisposeAsync();
            Http.Dispose();
            Broker.Dispose();
            Postgres.Dispose();
            _dir.Dispose();
        }
    }
}
