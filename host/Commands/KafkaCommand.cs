using System.CommandLine;
using TrafficActors.Settings;
using TrafficActors.Kafka;
using TrafficActors.Host.Node;
using TrafficActors.Kafka.Testkit;

namespace TrafficActors.Host.Commands;

/// <summary>
/// <c>traffic kafka</c>: only the embedded broker, for multi-process setups and tests; <c>traffic kafka lag</c>: the
/// ingest consumer group's lag, asked of a node.
/// </summary>
public static class KafkaCommand
{
    public static Command Create()
    {
        var brokers = new Option<int?>("--brokers") { Description = "Broker count (default from hocon: 3)" };
        var control = new Option<int?>("--control-port")
        {
            Description = "Serve fault injection on http://127.0.0.1:<port>: POST /brokers/{id}/down|up, /brokers/down|up; GET /brokers (default from hocon: 0 = off)",
        };
        var cmd = new Command("kafka", "Start the embedded Kafka-protocol broker with the pipeline's topics; prints `Kafka bootstrap: <addresses>` and runs until stopped");
        cmd.Options.Add(brokers);
        cmd.Options.Add(control);
        cmd.Subcommands.Add(KafkaLagCommand.Create());
        cmd.SetAction(async (r, ct) =>
        {
            var settings = TrafficSettings.FromConfig(TrafficConfig.Load());
            var k = settings.Kafka;
            using var cluster = k.StartEmbedded(r.GetValue(brokers));
            Console.WriteLine($"Kafka bootstrap: {cluster.BootstrapServers}");
            Console.WriteLine($"Topics: {k.RawTopic} ({k.RawPartitions}), {k.EnrichedTopic} ({k.EnrichedPartitions}), {k.AlertsTopic} ({k.AlertsPartitions}), {k.DlqTopic} ({k.DlqPartitions}), {k.WindowsTopic} ({k.WindowsPartitions}). Ctrl+C to stop.");
            var controlPort = r.GetValue(control) ?? k.EmbeddedControlPort;
            if (controlPort is < 0 or > 65535)
            {
                Console.Error.WriteLine($"traffic kafka: --control-port {controlPort} is not a port number");
                return ExitCodes.Usage;
            }

            await using var controlApp = controlPort > 0 ? await BrokerControl.StartAsync(cluster, controlPort, ct) : null;
            if (controlApp is not null) Console.WriteLine($"Broker control: http://127.0.0.1:{controlPort}/brokers");
            var stop = new TaskCompletionSource();
            using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
            await stop.Task;
            Console.WriteLine("Kafka broker stopped");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
