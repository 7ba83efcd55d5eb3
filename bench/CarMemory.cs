using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using TrafficActors.Cars;
using TrafficActors.Domain;
using TrafficActors.Metrics;
using TrafficActors.Reference;
using TrafficActors.Rules;
using TrafficActors.Settings;

namespace TrafficActors.Bench;

/// <summary>
/// Managed heap per idle car: a one-node cluster with the car shard region, every car entity started by one
/// ordinary (non-alerting) sample and then left idle; heap after a full blocking GC minus heap before, per car.
/// </summary>
public static class CarMemory
{
    // Cars started per round; sharding buffers at most 100k messages per region while shards start.
    private const int Chunk = 20_000;

    public static async Task<MemoryResult> MeasureAsync(int cars, TimeSpan timeout)
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.port = 0
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.loglevel = WARNING
            akka.log-dead-letters = off
            """).WithFallback(TrafficConfig.Load());
        var settings = TrafficSettings.FromConfig(config);
        using var system = ActorSystem.Create("bench-cars", config);
        try
        {
            var cluster = Cluster.Get(system);
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            cluster.Join(cluster.SelfAddress);
            await up.Task.WaitAsync(timeout);

            var ctx = new CarActorContext(
                new RuleSetStore(RuleSet.FromDefaults(settings.Rules), "bench"), new ReferenceDataStore(SeedFleet.Snapshot(Math.Min(cars, SeedFleet.MaxCars))), NoOutputs.Instance, settings.Outputs,
                new PipelineMetrics(), settings.Cars.Trace);
            // Ids as a node sees them, but routed by a local extractor: this measures the entity, not the routing.
            var region = await ClusterSharding.Get(system).StartAsync(
                "car", id => CarActor.Props(id, ctx), CarSharding.Settings(system, settings.Cars.IdleTimeout),
                HashCodeMessageExtractor.Create(settings.Cars.Shards, m => ((ICarMessage)m).CarId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var replies = new Counter();
            var collector = system.ActorOf(Props.Create(() => new ReplyCounter(replies)));
            var ids = SeedFleet.Cars(Math.Min(cars, SeedFleet.MaxCars)).Select(c => c.CarId).ToArray();
            var now = DateTimeOffset.UtcNow;

            // Warm the path (shard allocation, first entities) outside the measurement, then measure fresh cars only.
            var heapBefore = Heap();
            for (var start = 0; start < ids.Length; start += Chunk)
            {
                var end = Math.Min(start + Chunk, ids.Length);
                for (var i = start; i < end; i++)
                {
                    // A clean sample at city speed: enriched and produced (no-op), no alert, so no window involved.
                    region.Tell(ProcessSamples.Of(new RawEvent(Guid.NewGuid().ToString(), now, ids[i], 50, 2000, 2)), collector);
                }

                await replies.WaitForAsync(end, timeout);
            }

            var heapAfter = Heap();
            GC.KeepAlive(region);
            var bytes = heapAfter - heapBefore;
            return new MemoryResult(ids.Length, bytes, (double)bytes / ids.Length);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static long Heap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed class NoOutputs : ICarOutputs
    {
        public static readonly NoOutputs Instance = new();

        public void PublishEnriched(EnrichedSample sample, byte[] key, IOutputAck ack, in ActivityContext trace = default) => ack.Delivered(alert: false);

        public void PublishAlert(Alert alert, EnrichedSample sample, byte[] key, IOutputAck ack, in ActivityContext trace = default) => ack.Delivered(alert: true);
    }

    private sealed class Counter
    {
        private long _value;

        public void Increment() => Interlocked.Increment(ref _value);

        public async Task WaitForAsync(long target, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (Interlocked.Read(ref _value) < target)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"car memory: {Interlocked.Read(ref _value)} of {target} cars answered");
                await Task.Delay(5);
            }
        }
    }

    private sealed class ReplyCounter : ReceiveActor
    {
        public ReplyCounter(Counter counter)
        {
            Receive<SamplesProcessed>(_ => counter.Increment());
            Receive<Status.Failure>(f => throw f.Cause);
        }
    }
}
