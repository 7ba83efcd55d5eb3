using Akka.Configuration;
using Confluent.Kafka;
using Spectre.Console;
using TrafficActors.Host.Commands;
using TrafficActors.Host.Init;
using TrafficActors.Host.Management;
using TrafficActors.Host.Node;
using TrafficActors.Kafka;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Settings;

/// <summary>
/// <c>traffic.kafka.properties</c> from the shipped traffic.conf: filled from the environment only where a variable
/// is set, present in the configuration of every client the system builds (under the role sections, which go over
/// it), refused by librdkafka with the property named, and never shown with a secret's value.
/// </summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class KafkaClientPropertiesTests
{
    private const string Unreachable = "127.0.0.1:1";
    private const string Bogus = "traffic.kafka.properties { \"security.protocol\" = \"bogus\" }";

    private static readonly Dictionary<string, string> Secured = new()
    {
        ["TRAFFIC_KAFKA_SECURITY_PROTOCOL"] = "SASL_SSL",
        ["TRAFFIC_KAFKA_SASL_MECHANISM"] = "SCRAM-SHA-512",
        ["TRAFFIC_KAFKA_SASL_USERNAME"] = "traffic",
        // Quotes, a comment sign, a substitution and a backslash must all arrive as they are.
        ["TRAFFIC_KAFKA_SASL_PASSWORD"] = "p@ss \"w0rd\" # ${x} \\ end",
        ["TRAFFIC_KAFKA_SSL_CA_LOCATION"] = "/etc/traffic/kafka-ca.pem",
        ["TRAFFIC_KAFKA_SSL_CERTIFICATE_LOCATION"] = "/etc/traffic/client.pem",
        ["TRAFFIC_KAFKA_SSL_KEY_LOCATION"] = "/etc/traffic/client.key",
        ["TRAFFIC_KAFKA_SSL_KEY_PASSWORD"] = "k3y-secret",
    };

    private static KafkaSettings Load(Dictionary<string, string> environment, string? hocon = null)
    {
        var config = ShippedConfig.Load(environment);
        if (hocon is not null) config = ConfigurationFactory.ParseString(hocon).WithFallback(config);
        return KafkaSettings.FromConfig(config.GetConfig("traffic.kafka")).WithBootstrap(Unreachable);
    }

    [Fact]
    public void Environment_variables_set_exactly_the_properties_whose_variable_is_set()
    {
        Assert.Equal(0, Load([]).Common.Count);
        Assert.Null(Load([]).ToProducerSettings().ToProducerConfig().Get("security.protocol"));

        var secured = Load(Secured).Common.Values;
        Assert.Equal(8, secured.Count);
        Assert.Equal("SASL_SSL", secured["security.protocol"]);
        Assert.Equal("SCRAM-SHA-512", secured["sasl.mechanism"]);
        Assert.Equal("traffic", secured["sasl.username"]);
        Assert.Equal(Secured["TRAFFIC_KAFKA_SASL_PASSWORD"], secured["sasl.password"]);
        Assert.Equal("/etc/traffic/kafka-ca.pem", secured["ssl.ca.location"]);
        Assert.Equal("/etc/traffic/client.pem", secured["ssl.certificate.location"]);
        Assert.Equal("/etc/traffic/client.key", secured["ssl.key.location"]);
        Assert.Equal("k3y-secret", secured["ssl.key.password"]);

        var one = Load(new() { ["TRAFFIC_KAFKA_SECURITY_PROTOCOL"] = "ssl" }).Common.Values;
        Assert.Equal("ssl", Assert.Single(one).Value);
    }

    [Fact]
    public void A_common_property_reaches_every_client_and_the_role_sections_go_over_it()
    {
        var kafka = Load([], """
            traffic.kafka.properties { "client.rack" = "rack-a", "socket.timeout.ms" = "1000", "fetch.wait.max.ms" = "400" }
            traffic.kafka.consumer.properties { "socket.timeout.ms" = "2000" }
            traffic.kafka.producer.properties { "socket.timeout.ms" = "3000" }
            """);
        Assert.True(kafka.EmbeddedProfile);

        var ingest = kafka.ToConsumerSettings().ToConsumerConfig();
        Assert.Equal("rack-a", ingest.ClientRack);
        Assert.Equal(2000, ingest.SocketTimeoutMs);
        // The embedded profile goes over the common properties and beneath the consumer section, as before.
        Assert.Equal(10, ingest.FetchWaitMaxMs);
        Assert.Equal("traffic-actors", ingest.GroupId);

        var producer = kafka.ToProducerSettings().ToProducerConfig();
        Assert.Equal("rack-a", producer.ClientRack);
        Assert.Equal(3000, producer.SocketTimeoutMs);
        Assert.Equal("none", producer.Get("dotnet.producer.delivery.report.fields"));

        var lag = kafka.ToConsumerConfig(NodeManagement.LagReaderClientId, "traffic-actors");
        Assert.Equal("rack-a", lag.ClientRack);
        Assert.Equal(2000, lag.SocketTimeoutMs);
        Assert.Equal(NodeManagement.LagReaderClientId, lag.ClientId);
        Assert.False(lag.EnableAutoCommit);
        Assert.Equal(Unreachable, lag.BootstrapServers);

        var admin = kafka.ToAdminConfig("traffic-init");
        Assert.Equal("rack-a", admin.ClientRack);
        Assert.Equal(1000, admin.SocketTimeoutMs);
        Assert.Equal("traffic-init", admin.ClientId);

        // The embedded profile is only for the embedded broker: a real Kafka's consumers take the common value.
        var real = Load(new() { ["TRAFFIC_KAFKA_BOOTSTRAP"] = "kafka:9092" }, """traffic.kafka.properties { "fetch.wait.max.ms" = "400" }""");
        Assert.Equal(400, real.ToConsumerSettings().ToConsumerConfig().FetchWaitMaxMs);
    }

    [Fact]
    public void Unquoted_dotted_keys_mean_the_same_as_quoted_ones()
    {
        var kafka = Load([], "traffic.kafka.properties { client.rack = rack-b, \"socket.timeout.ms\" = 1500 }");
        Assert.Equal("rack-b", kafka.Common.Values["client.rack"]);
        Assert.Equal("1500", kafka.Common.Values["socket.timeout.ms"]);
    }

    [Fact]
    public void Every_client_builder_refuses_an_invalid_common_property_and_names_it()
    {
        var kafka = Load([], Bogus);
        var refusals = new Func<object>[]
        {
            () => KafkaProducer.CreateProducer(kafka.ToProducerSettings()),
            () => KafkaClients.Consumer(kafka.ToConsumerSettings().ToConsumerConfig()),
            () => NodeManagement.LagReader(kafka),
            () => KafkaClients.Admin(kafka.ToAdminConfig("traffic-init")),
        };
        foreach (var build in refusals)
        {
            var ex = Assert.Throws<KafkaClientConfigException>(build);
            Assert.Contains("\"security.protocol\"", ex.Message);
            Assert.Contains("bogus", ex.Message);
        }

        var unknown = Assert.Throws<KafkaClientConfigException>(() => KafkaClients.Admin(Load([], "traffic.kafka.properties { \"no.such.property\" = 1 }").ToAdminConfig("x")));
        Assert.Contains("no.such.property", unknown.Message);
    }

    [Fact]
    public async Task Init_refuses_an_invalid_common_property_before_it_touches_s3_with_the_kafka_exit_code()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(writer) });

        // No S3 is configured at all: the Kafka settings are checked first.
        var code = await ReferenceInitializer.RunAsync(
            new InitOptions { KafkaBootstrap = Unreachable, ExtraHocon = Bogus + "\ntraffic.reference.s3.endpoint = \"\"" }, console, CancellationToken.None);

        Assert.Equal(ExitCodes.Kafka, code);
        Assert.Contains("security.protocol", writer.ToString());
        Assert.DoesNotContain("[1/3]", writer.ToString());
    }

    [Fact]
    public async Task A_node_refuses_to_start_on_a_setting_only_its_ingest_consumer_would_refuse()
    {
        using var dir = new TempDir();
        var options = new NodeOptions
        {
            KafkaBootstrap = Unreachable,
            Generator = false,
            DataDir = dir.Path,
            ExtraHocon = "traffic.kafka.consumer.properties { \"fetch.wait.max.ms\" = \"soon\" }",
        };

        var ex = await Assert.ThrowsAsync<KafkaClientConfigException>(() => TrafficNode.StartAsync(options));

        Assert.Contains("Kafka consumer configuration refused", ex.Message);
        Assert.Contains("fetch.wait.max.ms", ex.Message);
    }

    [Fact]
    public void Secrets_are_masked_in_the_printed_properties_and_in_refusals()
    {
        var kafka = Load(Secured, """traffic.kafka.properties { "ssl.keystore.password" = "st0re-secret" }""");

        var shown = kafka.Common.ToString();
        Assert.Contains("security.protocol=SASL_SSL", shown);
        Assert.Contains("sasl.username=traffic", shown);
        Assert.Contains("sasl.password=" + ClientProperties.Mask, shown);
        Assert.Contains("ssl.key.password=" + ClientProperties.Mask, shown);
        Assert.Contains("ssl.keystore.password=" + ClientProperties.Mask, shown);
        Assert.DoesNotContain("p@ss", shown);
        Assert.DoesNotContain("secret", shown);

        // librdkafka names the value it refused; a secret's value never reaches the message.
        var config = new ProducerConfig { BootstrapServers = Unreachable };
        config.Set("sasl.password", "hunter2");
        var ex = Assert.Throws<KafkaClientConfigException>(() => KafkaClients.Build<object>("producer", config, () => throw new ArgumentException("Invalid value \"hunter2\" for configuration property \"sasl.password\"")));
        Assert.Contains("sasl.password", ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message);
        Assert.Null(ex.InnerException);
    }
}
