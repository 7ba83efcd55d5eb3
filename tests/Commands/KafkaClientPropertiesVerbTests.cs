using System.Diagnostics;
using TrafficActors.Host.Commands;
using TrafficActors.Kafka;
using TrafficActors.Kafka.Testkit;
using TrafficActors.Tests.Bench;
using TrafficActors.Tests.Support;
using TrafficActors.Web.Management;
using Xunit;

namespace TrafficActors.Tests.Commands;

/// <summary>
/// <c>traffic.kafka.properties</c> as an operator sets it, through the environment of the real binaries: every verb
/// that makes Kafka clients builds them with it, so an invalid value stops each with exit code 6 and the property
/// named, and a valid one works end to end with its secret masked in what the verb prints. (The embedded broker speaks
/// plaintext only, so "valid" here is an explicit <c>PLAINTEXT</c> with SASL credentials it leaves unused.)
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class KafkaClientPropertiesVerbTests(KafkaClientPropertiesVerbTests.Services services) : IClassFixture<KafkaClientPropertiesVerbTests.Services>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly string[] Topics = ["raw-data", "samples-enriched", "alert-data", "raw-data-dlq", "alert-windows"];

    /// <summary>One broker with the pipeline's topics and one S3 server for the class.</summary>
    public sealed class Services : IDisposable
    {
        public Services()
        {
            // The embedded broker cannot create topics through the admin API (it has no controller to ask), so they
            // are made beforehand, as `traffic kafka` does, and `traffic init` finds them there.
            foreach (var topic in Topics) Broker.CreateTopic(topic, 2);
        }

        public EmbeddedKafkaCluster Broker { get; } = EmbeddedKafkaCluster.Start(1);

        public S3Server S3 { get; } = new();

        public void Dispose()
        {
            S3.Dispose();
            Broker.Dispose();
        }
    }

    [Fact]
    public async Task Every_verb_that_makes_kafka_clients_refuses_an_invalid_security_protocol_with_exit_code_6()
    {
        var environment = new Dictionary<string, string> { ["TRAFFIC_KAFKA_SECURITY_PROTOCOL"] = "bogus" };
        var bootstrap = services.Broker.BootstrapServers;
        using var data = new TempDir();
        var redriveFile = Path.Combine(data.Path, "fixed.jsonl");
        await File.WriteAllTextAsync(redriveFile, "{\"event_id\":\"e1\",\"event_time\":\"2026-12-07T10:00:00Z\",\"car_id\":1000146,\"speed\":90,\"rpm\":3000,\"gear\":3}\n");
        var withToken = new Dictionary<string, string>(environment) { [AdminToken.EnvironmentVariable] = "token" };

        // Side by side: each refuses before it does any work, so they cost one process start together.
        var runs = new (string Verb, Task<TrafficCli.Result> Run)[]
        {
            ("init", TrafficCli.RunWithEnvironmentAsync(environment, "init", "--kafka-bootstrap", bootstrap)),
            ("generate", TrafficCli.RunWithEnvironmentAsync(environment, "generate", "--kafka-bootstrap", bootstrap, "--count", "10")),
            ("node", TrafficCli.RunWithEnvironmentAsync(environment, "node", "--kafka-bootstrap", bootstrap, "--data-dir", data.Path, "--urls", "http://127.0.0.1:0")),
            ("dlq show", TrafficCli.RunWithEnvironmentAsync(environment, "dlq", "show", "--kafka-bootstrap", bootstrap)),
            ("dlq redrive", TrafficCli.RunWithEnvironmentAsync(withToken, "dlq", "redrive", "--kafka-bootstrap", bootstrap, "--from-file", redriveFile)),
            ("traffic-bench", RunBenchAsync(environment, "--smoke", "--only", "pipeline")),
        };
        await Task.WhenAll(runs.Select(r => r.Run));

        foreach (var (verb, run) in runs)
        {
            var result = await run;
            var output = result.Stdout + result.Stderr;
            Assert.True(result.ExitCode == ExitCodes.Kafka, $"{verb}: exit code {result.ExitCode}, output:\n{output}");
            Assert.Contains("configuration refused: Invalid value \"bogus\" for configuration property \"security.protocol\"", output);
        }
    }

    [Fact]
    public async Task With_valid_properties_init_reads_the_topics_and_generate_delivers_and_the_password_is_never_printed()
    {
        var password = "kafka-" + Guid.NewGuid().ToString("N");
        var bucket = "kafka-props-" + Guid.NewGuid().ToString("N")[..8];
        var environment = new Dictionary<string, string>
        {
            // Plaintext is what the embedded broker speaks; librdkafka leaves the SASL credentials unused on it.
            ["TRAFFIC_KAFKA_SECURITY_PROTOCOL"] = "PLAINTEXT",
            ["TRAFFIC_KAFKA_SASL_USERNAME"] = "traffic",
            ["TRAFFIC_KAFKA_SASL_PASSWORD"] = password,
            ["AWS_ENDPOINT_URL"] = services.S3.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = services.S3.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = services.S3.SecretKey,
            ["TRAFFIC_REFERENCE_BUCKET"] = bucket,
        };
        var bootstrap = services.Broker.BootstrapServers;

        var init = await TrafficCli.RunWithEnvironmentAsync(environment, "init", "--kafka-bootstrap", bootstrap);
        Assert.True(init.ExitCode == ExitCodes.Ok, $"init: exit code {init.ExitCode}\n{init.Stdout}{init.Stderr}");
        Assert.Contains("security.protocol=PLAINTEXT", init.Stdout);
        Assert.Contains("sasl.password=" + ClientProperties.Mask, init.Stdout);
        // The admin client read the broker's metadata with these properties.
        foreach (var topic in Topics)
            Assert.Contains($"{topic}: already there (2 partitions)", init.Stdout);

        var generate = await TrafficCli.RunWithEnvironmentAsync(environment, "generate", "--kafka-bootstrap", bootstrap, "--count", "20", "--rate", "0");
        Assert.True(generate.ExitCode == ExitCodes.Ok, $"generate: exit code {generate.ExitCode}\n{generate.Stdout}{generate.Stderr}");
        Assert.Contains("sasl.password=" + ClientProperties.Mask, generate.Stdout);
        Assert.Equal(20, KafkaTestClient.GroupOffsets(bootstrap, "kafka-props-check", "raw-data").Sum(p => p.End));

        foreach (var output in new[] { init.Stdout, init.Stderr, generate.Stdout, generate.Stderr })
            Assert.DoesNotContain(password, output);
    }

    private static async Task<TrafficCli.Result> RunBenchAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(BenchSmokeTests.BenchBinary());
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(cts.Token);
        return new TrafficCli.Result(process.ExitCode, await stdout, await stderr);
    }
}
