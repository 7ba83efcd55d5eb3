using Confluent.Kafka;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrafficActors.Kafka;
using TrafficActors.Persistence;
using TrafficActors.Settings;
using TrafficActors.Tests.Support;
using TrafficActors.Web.Health;
using Xunit;

namespace TrafficActors.Tests.Health;

/// <summary>
/// The dependency checks against servers that misbehave on a loopback socket: one that accepts connections and
/// never answers fails the check at its timeout, with that in the detail, instead of holding the probe; the answer
/// is reused while fresh, so concurrent and repeated probes cost the server one connection; a refused connection
/// fails at once with the client's reason.
/// </summary>
[Trait(Tier.Name, Tier.Fast)]
public sealed class DependencyCheckTests
{
    private static readonly HealthSettings Health = new(CacheFor: TimeSpan.FromMinutes(1), DatabaseTimeout: TimeSpan.FromMilliseconds(300), KafkaTimeout: TimeSpan.FromMilliseconds(300));

    // Far above the checks' own timeouts: a check that returns before this did not wait for the client's.
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_database_that_never_answers_fails_at_the_timeout_and_is_asked_once_while_the_answer_is_fresh()
    {
        using var silent = new SilentServer();
        var check = DatabaseCheck(silent.Port);

        var started = Stopwatch.GetTimestamp();
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => check.CheckHealthAsync(new HealthCheckContext())));
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.All(results, r =>
        {
            Assert.Equal(HealthStatus.Unhealthy, r.Status);
            Assert.Equal("journal database (postgresql) did not answer within 300ms", r.Description);
        });
        Assert.True(elapsed < ClientTimeout / 2, $"the check took {elapsed}");
        var again = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(results[0].Description, again.Description);
        // The server's accept loop may count the one connection a moment after the client made it.
        await Poll.Until(() => silent.Accepted > 0, TimeSpan.FromSeconds(10), () => "the server to count the connection");
        Assert.Equal(1, silent.Accepted);
    }

    [Fact]
    public async Task A_refused_database_connection_fails_with_the_reason()
    {
        var result = await DatabaseCheck(FreePorts.Next()).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("journal database (postgresql): Failed to connect to 127.0.0.1:", result.Description);
        Assert.Contains("refused", result.Description, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Kafka_brokers_that_never_answer_fail_at_the_timeout()
    {
        using var silent = new SilentServer();
        var bootstrap = $"127.0.0.1:{silent.Port}";
        using var kafka = new ConsumerLagReader(
            new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "health-check-test" }, new AdminClientConfig { BootstrapServers = bootstrap });
        var check = new KafkaBrokersCheck(kafka, "raw-data", Health, TimeProvider.System);

        var started = Stopwatch.GetTimestamp();
        var result = await check.CheckHealthAsync(new HealthCheckContext());
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("Kafka brokers", result.Description);
        Assert.True(elapsed < ClientTimeout / 2, $"the check took {elapsed}");
    }

    private static JournalDatabaseCheck DatabaseCheck(int port) => new(
        new JournalDatabase(
            new PersistenceSettings(PersistenceSettings.PostgreSql, $"Host=127.0.0.1;Port={port};Username=traffic;Password=unused;Database=traffic;Pooling=false;Timeout={ClientTimeout.TotalSeconds:0}"),
            Path.GetTempPath()),
        Health, TimeProvider.System);

    /// <summary>Accepts every connection on a loopback port, reads nothing and writes nothing.</summary>
    private sealed class SilentServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _accepted = [];
        private readonly CancellationTokenSource _stop = new();

        public SilentServer()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Accepted
        {
            get
            {
                lock (_accepted) return _accepted.Count;
            }
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    lock (_accepted) _accepted.Add(socket);
                }
            }
            catch (OperationCanceledException)
            {
                // Disposed.
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_accepted)
            {
                foreach (var s in _accepted) s.Dispose();
            }

            _stop.Dispose();
        }
    }
}
