using System.Diagnostics;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using TrafficActors.Cars;
using TrafficActors.Domain;
using TrafficActors.Settings;
using TrafficActors.Windows;

namespace TrafficActors.Bench;

/// <summary>
/// What the cross-node serializer costs: message sizes, serialize + deserialize time, and remote request/reply
/// round trips between two actor systems on loopback, for Akka's default JSON and for the configured binary one.
/// </summary>
public static class SerializationBenchmark
{
    public sealed record Result(string Serializer, int SampleBytes, int AlertBytes, double MicrosPerRoundTrip, double RemoteRoundTripsPerSecond);

    /// <summary>Serializer names as bound in HOCON: Akka's built-in JSON and ours (hocon/traffic.conf).</summary>
    public static readonly string[] Serializers = ["json", "hyperion", "traffic-pipeline"];

    public static async Task<Result> RunAsync(string serializer, int messages, int parallelism, CancellationToken ct)
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp.port = 0
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.loglevel = WARNING
            akka.actor.serialization-bindings { "System.Object" = {{serializer}} }
            """).WithFallback(TrafficConfig.Load());
        if (serializer != "traffic-pipeline")
        {
            // Measure the general-purpose serializer on the hot-path messages too, instead of their dedicated one.
            config = Akka.Configuration.ConfigurationFactory.ParseString($$"""
                akka.actor.serialization-bindings {
                  "TrafficActors.Cars.ProcessSamples, TrafficActors.Actors" = {{serializer}}
                  "TrafficActors.Cars.SamplesProcessed, TrafficActors.Actors" = {{serializer}}
                  "TrafficActors.Windows.CountAlert, TrafficActors.Actors" = {{serializer}}
                  "TrafficActors.Windows.AlertCounted, TrafficActors.Actors" = {{serializer}}
                }
                """).WithFallback(config);
        }
        using var server = ActorSystem.Create("bench-server", config);
        using var client = ActorSystem.Create("bench-client", config);
        try
        {
            var echo = server.ActorOf(Props.Create(() => new Echo()), "echo");
            var address = ((ExtendedActorSystem)server).Provider.DefaultAddress;
            var remote = await client.ActorSelection(new RootActorPath(address) / "user" / "echo").ResolveOne(TimeSpan.FromSeconds(10), ct);

            var sample = new ProcessSamples(123456, new[] { new RawEvent(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow, 123456, 131.5, 4200, 4, new GeoPoint(32.08, 34.78)) }, 1);
            var alert = new CountAlert("w-0", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1),
                new Alert(new EnrichedSample(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow, 123456, 131.5, 4200, 4, new GeoPoint(32.08, 34.78), 555, "Kia", "Rio", "Red", 4), new[] { "overspeed", "wrong_gear" }));
            // Plain arrays: Akka's JSON serializer cannot rebuild the compiler's read-only list type that collection
            // expressions produce, which is one reason the cluster does not use it.
            var serialization = client.Serialization;
            var sampleBytes = serialization.FindSerializerFor(sample).ToBinary(sample).Length;
            var alertBytes = serialization.FindSerializerFor(alert).ToBinary(alert).Length;

            const int codecRounds = 20_000;
            var sampleCodec = serialization.FindSerializerFor(sample);
            var sampleManifest = Akka.Serialization.Serialization.ManifestFor(sampleCodec, sample);
            var alertCodec = serialization.FindSerializerFor(alert);
            var alertManifest = Akka.Serialization.Serialization.ManifestFor(alertCodec, alert);
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < codecRounds; i++)
            {
                _ = serialization.Deserialize(sampleCodec.ToBinary(sample), sampleCodec.Identifier, sampleManifest);
                _ = serialization.Deserialize(alertCodec.ToBinary(alert), alertCodec.Identifier, alertManifest);
            }

            var micros = sw.Elapsed.TotalMicroseconds / (codecRounds * 2.0);

            sw.Restart();
            await Source.From(Enumerable.Range(0, messages))
                .SelectAsyncUnordered(parallelism, i => remote.Ask<object>(i % 2 == 0 ? sample : alert, TimeSpan.FromSeconds(30)))
                .RunWith(Sink.Ignore<object>(), client.Materializer());
            return new Result(serializer, sampleBytes, alertBytes, micros, messages / sw.Elapsed.TotalSeconds);
        }
        finally
        {
            await Task.WhenAll(client.Terminate(), server.Terminate());
        }
    }

    /// <summary>Answers like the real actors do: a car's samples with SamplesProcessed, an alert with AlertCounted.</summary>
    private sealed class Echo : ReceiveActor
    {
        public Echo()
        {
            Receive<ProcessSamples>(m => Sender.Tell(new SamplesProcessed(m.Sequence, Array.Empty<Alert>())));
            Receive<CountAlert>(m => Sender.Tell(new AlertCounted(m.Alert.Sample.EventId, WindowDecision.Count)));
        }
    }
}
