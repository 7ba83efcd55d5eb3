using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace TrafficActors.Tests.Soak;

/// <summary>
/// Bad input on a schedule: malformed JSON, a 1 MiB message, deeply nested JSON, invalid UTF-8, wrong types. Each
/// carries a unique key so the dead-letter topic can be compared with what was sent, one for one.
/// </summary>
internal sealed class PoisonFeed(string bootstrap, string topic, TimeSpan oversizedEvery) : IDisposable
{
    public const int OversizedBytes = 1 << 20;

    private static readonly (string Kind, Func<int, byte[]> Payload)[] Kinds =
    [
        ("malformed-json", i => Encoding.UTF8.GetBytes($"{{\"event_id\": \"p{i}\", \"speed\": ")),
        ("oversized", i => Encoding.UTF8.GetBytes($"{{\"event_id\":\"p{i}\",\"pad\":\"" + new string('x', OversizedBytes) + "\"}")),
        ("deeply-nested", _ => Encoding.UTF8.GetBytes(new string('[', 200) + new string(']', 200))),
        ("invalid-utf8", _ => [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']),
        ("wrong-types", i => Encoding.UTF8.GetBytes($$"""{"event_id":"p{{i}}","event_time":"{{DateTimeOffset.UtcNow:O}}","car_id":"abc","speed":"fast","rpm":1000,"gear":1}""")),
    ];

    private readonly IProducer<byte[]?, byte[]?> _producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
    {
        BootstrapServers = bootstrap,
        EnableIdempotence = true,
        Acks = Acks.All,
        MessageMaxBytes = 2 * OversizedBytes,
        MessageTimeoutMs = 120_000,
    })
            // Broker outages are the point of the soak; the clients' own connection chatter is noise here.
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();

    /// <summary>Key → kind of every poison message Kafka acknowledged.</summary>
    public Dictionary<string, string> Sent { get; } = new(StringComparer.Ordinal);

    /// <summary>One poison message every <paramref name="every"/> until <paramref name="ct"/> is cancelled.</summary>
    public Task RunAsync(TimeSpan every, CancellationToken ct) => Task.Run(async () =>
    {
        var clock = Stopwatch.StartNew();
        var lastOversized = TimeSpan.MinValue;
        for (var i = 0; !ct.IsCancellationRequested; i++)
        {
            var (kind, payload) = Kinds[i % Kinds.Length];
            if (kind == "oversized")
            {
                if (lastOversized != TimeSpan.MinValue && clock.Elapsed - lastOversized < oversizedEvery) continue;
                lastOversized = clock.Elapsed;
            }

            var key = $"poison-{i:D4}-{kind}";
            try
            {
                await _producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = payload(i) }, CancellationToken.None);
                lock (Sent) Sent[key] = kind;
            }
            catch (ProduceException<byte[]?, byte[]?>)
            {
                // Not in Kafka (brokers down past the timeout): not expected in the dead-letter topic either.
            }

            await Task.Delay(every, CancellationToken.None);
        }
    }, CancellationToken.None);

    public void Dispose() => _producer.Dispose();
}
