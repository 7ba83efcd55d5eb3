using System.CommandLine;
using Spectre.Console;
using TrafficActors.Host.Init;

namespace TrafficActors.Host.Commands;

/// <summary><c>traffic init</c>: create the reference bucket and objects, and the Kafka topics on a real broker.</summary>
public static class InitCommand
{
    public static Command Create()
    {
        var cars = new Option<int?>("--cars") { Description = "Upload a generated deterministic fleet of N cars (1..1000000) instead of the shipped 20-car files" };
        var force = new Option<bool>("--force") { Description = "Overwrite reference objects already in the bucket" };
        var bootstrap = new Option<string?>("--kafka-bootstrap") { Description = "Real Kafka cluster to create the topics on (default: TRAFFIC_KAFKA_BOOTSTRAP); without one the topic step is skipped" };
        var cmd = new Command("init", "Create the S3 bucket with the reference data (AWS_ENDPOINT_URL, credentials from the environment or .env) and the Kafka topics; safe to run twice. Exit codes: 0 ok, 1 failed, 2 bad configuration, 3 S3 unreachable, 4 credentials rejected, 5 invalid bucket name, 6 Kafka failed or refused a setting");
        foreach (var o in new Option[] { cars, force, bootstrap }) cmd.Options.Add(o);
        cmd.SetAction((r, ct) => ReferenceInitializer.RunAsync(
            new InitOptions { Cars = r.GetValue(cars), Force = r.GetValue(force), KafkaBootstrap = r.GetValue(bootstrap) }, AnsiConsole.Console, ct));
        return cmd;
    }
}
