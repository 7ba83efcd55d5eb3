using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using TrafficActors.Host.Commands;
using TrafficActors.Ingest;
using TrafficActors.Kafka;
using TrafficActors.Kafka.Testkit;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using Xunit;

namespace TrafficActors.Tests.Commands;

/// <summary>
/// `traffic dlq show` and `traffic dlq redrive` as an operator runs them: the real binary against one broker holding
/// dead letters as the ingest stream writes them. Show lists the newest over all partitions and filters by reason;
/// redrive sends a valid file to raw-data keyed and partitioned as the generator does, and sends nothing at all for a
/// file with a bad line, a missing file or a missing admin token.
/// </summary>
[Trait(Tier.Name, Tier.Integration)]
public sealed class DlqVerbTests(DlqVerbTests.Services services) : IClassFixture<DlqVerbTests.Services>
{
    private const string Token = "dlq-admin-token";
    private const string RawTopic = "raw-data";
    private const string DlqTopic = "raw-data-dlq";
    private const int RawPartitions = 6;

    /// <summary>One broker for the class: raw-data, the dead-letter topic with six dead letters, and a topic to ask the generator's partitioner with.</summary>
    public sealed class Services : IDisposable
    {
        public static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

        /// <summary>Partition, seconds after <see cref="T0"/>, key, reason and payload of each dead letter.</summary>
        public static readonly (int Partition, int Second, string Key, string Reason, byte[] Payload)[] Letters =
        [
            (0, 1, "1000146", "gear out of range: 9 not in 1..7", Event("dl-1", 1000146, gear: 9)),
            (1, 2, "1000147", "speed out of range: -5 not in 0..400", Event("dl-2", 1000147, speed: -5)),
            (2, 3, "1000148", "invalid UTF-8", [(byte)'{', 0xFF, 0xFE, (byte)'}']),
            (0, 4, "1000146", "speed out of range: 999 not in 0..400", Event("dl-4", 1000146, speed: 999)),
            (1, 5, "1000149", "gear out of range: 0 not in 1..7", Event("dl-5", 1000149, gear: 0)),
            (2, 6, "1000150", "rpm out of range: 25000 not in 0..20000", Event("dl-6", 1000150, rpm: 25000)),
        ];

        public Services()
        {
            Broker.CreateTopic(RawTopic, RawPartitions);
            Broker.CreateTopic(PartitionCheckTopic, RawPartitions);
            Broker.CreateTopic(DlqTopic, 3);
            using var producer = KafkaTestClient.Producer(Broker.BootstrapServers);
            foreach (var (partition, second, key, reason, payload) in Letters)
            {
                var headers = new Headers
                {
                    { DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(reason) },
                    { DeadLetterHeaders.SourceTopic, Encoding.UTF8.GetBytes(RawTopic) },
                    { DeadLetterHeaders.SourcePartition, "4"u8.ToArray() },
                    { DeadLetterHeaders.SourceOffset, Encoding.ASCII.GetBytes((100 + second).ToString(System.Globalization.CultureInfo.InvariantCulture)) },
                };
                producer.ProduceAsync(new TopicPartition(DlqTopic, partition), new Message<byte[]?, byte[]?>
                {
                    Key = Encoding.ASCII.GetBytes(key),
                    Value = payload,
                    Headers = headers,
                    Timestamp = new Timestamp(T0.AddSeconds(second)),
                }).GetAwaiter().GetResult();
            }
        }

        public const string PartitionCheckTopic = "partition-check";

        public EmbeddedKafkaCluster Broker { get; } = EmbeddedKafkaCluster.Start(1);

        public void Dispose() => Broker.Dispose();
    }

    private string Bootstrap => services.Broker.BootstrapServers;

    private static byte[] Event(string id, long car, double speed = 50, int rpm = 2000, int gear = 2) =>
        Encoding.UTF8.GetBytes(FormattableString.Invariant(
            $"{{\"event_id\":\"{id}\",\"event_time\":\"2026-12-07T10:00:00Z\",\"car_id\":{car},\"speed\":{speed},\"rpm\":{rpm},\"gear\":{gear}}}"));

    private static Task<TrafficCli.Result> Run(string? token, params string[] args) => TrafficCli.RunAsync(token, args);

    [Fact]
    public async Task Show_lists_the_newest_over_all_partitions_filters_by_reason_and_refuses_a_bad_last()
    {
        var unreachable = $"127.0.0.1:{FreePorts.Next()}";
        var clock = Stopwatch.StartNew();
        // Side by side: each is its own process, and none changes the topic.
        var newest = Run(null, "dlq", "show", "--kafka-bootstrap", Bootstrap, "--last", "2");
        var gear = Run(null, "dlq", "show", "--kafka-bootstrap", Bootstrap, "--reason", "GEAR", "--json");
        var all = Run(null, "dlq", "show", "--kafka-bootstrap", Bootstrap);
        var badLast = Run(null, "dlq", "show", "--kafka-bootstrap", Bootstrap, "--last", "0");
        var down = TrafficCli.RunWithEnvironmentAsync(
            new Dictionary<string, string> { ["TRAFFIC_DLQ_KAFKA_TIMEOUT"] = "2s" }, "dlq", "show", "--kafka-bootstrap", unreachable);
        await Task.WhenAll(newest, gear, all, badLast, down);

        var text = await newest;
        Assert.True(text.ExitCode == ExitCodes.Ok, $"exit code {text.ExitCode}\n{text.Stdout}{text.Stderr}");
        Assert.Equal(
            [
                "2026-12-07 10:00:05.000Z  1:1  gear out of range: 0 not in 1..7",
                "  key 1000149  from raw-data 4:105",
                "  " + Encoding.UTF8.GetString(Services.Letters[4].Payload),
                "",
                "2026-12-07 10:00:06.000Z  2:1  rpm out of range: 25000 not in 0..20000",
                "  key 1000150  from raw-data 4:106",
                "  " + Encoding.UTF8.GetString(Services.Letters[5].Payload),
                "",
                "2 dead letters shown, newest last; raw-data-dlq holds 6 records in 3 partitions",
            ],
            text.Stdout.TrimEnd('\n').Split('\n'));

        var json = await gear;
        Assert.True(json.ExitCode == ExitCodes.Ok, $"exit code {json.ExitCode}\n{json.Stdout}{json.Stderr}");
        var lines = json.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(
            [("gear out of range: 9 not in 1..7", 0, 0L, "1000146"), ("gear out of range: 0 not in 1..7", 1, 1L, "1000149")],
            lines.Select(l => (l.GetProperty("reason").GetString(), l.GetProperty("partition").GetInt32(), l.GetProperty("offset").GetInt64(), l.GetProperty("key").GetString())));
        Assert.Equal(Encoding.UTF8.GetString(Services.Letters[0].Payload), lines[0].GetProperty("payload").GetString());

        // The invalid payload is escaped, and the default --last shows all six, oldest first.
        var everything = await all;
        Assert.Equal(ExitCodes.Ok, everything.ExitCode);
        Assert.Contains("  {\\xFF\\xFE}\n", everything.Stdout, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, 6).Select(s => $"2026-12-07 10:00:0{s}.000Z"), everything.Stdout.Split('\n').Where(l => l.StartsWith("2026", StringComparison.Ordinal)).Select(l => l[..24]));

        var refused = await badLast;
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("--last must be within 1..10000, not 0", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("", refused.Stdout);

        var noKafka = await down;
        Assert.True(noKafka.ExitCode == ExitCodes.Unreachable, $"exit code {noKafka.ExitCode}\n{noKafka.Stdout}{noKafka.Stderr}");
        Assert.Contains($"traffic dlq show: Kafka at {unreachable} unreachable", noKafka.Stderr, StringComparison.Ordinal);
        // Bounded by the configured timeout, not librdkafka's own minutes of retrying.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Redrive_sends_a_valid_file_to_raw_data_keyed_and_partitioned_by_car_and_marked()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "fixed.jsonl");
        byte[][] events = [Event("rd-1", 1000146, gear: 3), Event("rd-2", 1000147), Event("rd-3", 1000146, speed: 100, gear: 4)];
        await File.WriteAllTextAsync(file, string.Join("\n", events.Select(e => Encoding.UTF8.GetString(e))) + "\n\n");

        var result = await Run(Token, "dlq", "redrive", "--kafka-bootstrap", Bootstrap, "--from-file", file);
        Assert.True(result.ExitCode == ExitCodes.Ok, $"exit code {result.ExitCode}\n{result.Stdout}{result.Stderr}");
        Assert.Contains($"Sent 3 records from fixed.jsonl to raw-data on {Bootstrap}", result.Stdout, StringComparison.Ordinal);

        var read = KafkaTestClient.ReadTopic(Bootstrap, RawTopic, r => r.Count >= 3, TimeSpan.FromSeconds(10));
        var redriven = read.Where(r => Encoding.UTF8.GetString(r.Message.Value!).Contains("\"rd-", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, redriven.Count);
        var partitions = await GeneratorPartitionsAsync(["1000146", "1000147"]);
        foreach (var (r, sent) in redriven.OrderBy(r => Encoding.UTF8.GetString(r.Message.Value!), StringComparer.Ordinal).Zip(events))
        {
            Assert.Equal(sent, r.Message.Value);
            var key = Encoding.ASCII.GetString(r.Message.Key!);
            Assert.Equal(JsonDocument.Parse(sent).RootElement.GetProperty("car_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), key);
            Assert.Equal(partitions[key], r.Partition.Value);
            Assert.True(r.Message.Headers.TryGetLastBytes(DeadLetterHeaders.RedrivenFrom, out var from));
            Assert.Equal(DlqTopic, Encoding.UTF8.GetString(from));
        }
    }

    [Fact]
    public async Task Redrive_sends_nothing_for_a_file_with_bad_lines_and_names_each_as_file_colon_line()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "mixed.jsonl");
        await File.WriteAllTextAsync(file, string.Join("\n",
            Encoding.UTF8.GetString(Event("bad-1", 1000146)),
            "{\"event_id\":\"bad-2\",\"car_id\":1000146}",
            Encoding.UTF8.GetString(Event("bad-3", 1000147)),
            Encoding.UTF8.GetString(Event("bad-4", 1000147, gear: 12))));
        var before = RawRecords();

        var bad = Run(Token, "dlq", "redrive", "--kafka-bootstrap", Bootstrap, "--from-file", file);
        var missing = Run(Token, "dlq", "redrive", "--kafka-bootstrap", Bootstrap, "--from-file", Path.Combine(dir.Path, "absent.jsonl"));
        await Task.WhenAll(bad, missing);

        var invalid = await bad;
        Assert.True(invalid.ExitCode == ExitCodes.Usage, $"exit code {invalid.ExitCode}\n{invalid.Stdout}{invalid.Stderr}");
        Assert.Equal(
            [$"{file}:2: missing field: event_time", $"{file}:4: gear out of range: 12 not in 1..7", $"traffic dlq redrive: 2 invalid lines in {file}; nothing sent"],
            invalid.Stderr.TrimEnd('\n').Split('\n'));
        var absent = await missing;
        Assert.Equal(ExitCodes.Usage, absent.ExitCode);
        Assert.Contains("absent.jsonl: no such file", absent.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, RawRecords());
    }

    [Fact]
    public async Task Redrive_without_the_admin_token_is_refused_and_sends_nothing()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "fixed.jsonl");
        await File.WriteAllBytesAsync(file, Event("no-token", 1000146));
        var before = RawRecords();

        var result = await Run(null, "dlq", "redrive", "--kafka-bootstrap", Bootstrap, "--from-file", file);

        Assert.True(result.ExitCode == ExitCodes.Refused, $"exit code {result.ExitCode}\n{result.Stdout}{result.Stderr}");
        Assert.Contains("refused: TRAFFIC_ADMIN_TOKEN is not set", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, RawRecords());
    }

    [Fact]
    public async Task Records_kafka_never_acknowledges_count_as_failed_within_the_delivery_timeout()
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("traffic.dlq.redrive.delivery-timeout = 1s\ntraffic.dlq.kafka-timeout = 1s")
            .WithFallback(ShippedConfig.Load(new Dictionary<string, string>()));
        var dlq = DlqSettings.FromConfig(config);
        var kafka = KafkaSettings.FromConfig(config.GetConfig("traffic.kafka")).WithBootstrap($"127.0.0.1:{FreePorts.Next()}");
        var file = TrafficActors.DeadLetters.RedriveFile.Parse(Event("lost-1", 1000146).Concat("\n"u8.ToArray()).Concat(Event("lost-2", 1000147)).ToArray(), Domain.ValidationLimits.Default);
        var log = new Host.DeadLetters.KafkaClientLog();
        var clock = Stopwatch.StartNew();

        var outcome = await Task.Run(() =>
        {
            using var producer = Host.DeadLetters.DeadLetterRedriver.CreateProducer(kafka, dlq, log);
            return Host.DeadLetters.DeadLetterRedriver.Send(producer, kafka, dlq, file.Records, CancellationToken.None);
        });

        Assert.Equal((2, 0, 2), (outcome.Sent, outcome.Delivered, outcome.Failed));
        Assert.False(string.IsNullOrEmpty(outcome.FirstError));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    /// <summary>Records raw-data holds over all partitions (log end offsets: nothing else writes to it in these tests).</summary>
    private long RawRecords()
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = Bootstrap, GroupId = "dlq-verb-check" }).Build();
        return Enumerable.Range(0, RawPartitions).Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(RawTopic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    /// <summary>The partition the generator's producer (the system's producer settings) picks for each key, on a topic with raw-data's partition count.</summary>
    private async Task<Dictionary<string, int>> GeneratorPartitionsAsync(IEnumerable<string> keys)
    {
        var kafka = TrafficSettings.FromConfig(TrafficConfig.Load()).Kafka.WithBootstrap(Bootstrap);
        using var producer = KafkaProducer.CreateProducer(kafka.ToProducerSettings());
        var partitions = new Dictionary<string, int>();
        foreach (var key in keys)
        {
            var report = await producer.ProduceAsync(Services.PartitionCheckTopic, new Message<byte[]?, byte[]?> { Key = Encoding.ASCII.GetBytes(key), Value = [] });
            partitions[key] = report.Partition.Value;
        }

        return partitions;
    }
}
