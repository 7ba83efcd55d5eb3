using Akka.Actor;
using Akka.Hosting;
using Akka.Hosting.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using TrafficActors.Host.Node;
using TrafficActors.Kafka;
using TrafficActors.Metrics;
using TrafficActors.Persistence;
using TrafficActors.Reference;
using TrafficActors.Settings;
using TrafficActors.Web.Health;

namespace TrafficActors.Host.Management;

/// <summary>
/// The node's health checks on ASP.NET Core HealthChecks, served by <c>/healthz</c> and <c>/ready</c>
/// (<see cref="HealthEndpoints"/>): which checks a node runs follows its roles.
/// </summary>
public static class NodeHealth
{
    /// <summary>Name of Akka.Hosting's actor system liveness check in <c>/healthz</c>.</summary>
    public const string LivenessCheck = "actor_system";

    /// <summary>The readiness checks; resolved at the first probe, once the actor system runs.</summary>
    public static IServiceCollection AddTrafficHealth(this IServiceCollection services, TrafficSettings settings, ManagementSettings management)
    {
        var health = management.Health;
        var checks = services.AddHealthChecks();
        Ready<MemberUpCheck>(checks, MemberUpCheck.Name, sp => new MemberUpCheck(sp.GetRequiredService<ActorSystem>()));
        Ready<ReferenceDataCheck>(checks, ReferenceDataCheck.Name, sp => new ReferenceDataCheck(sp.GetRequiredService<ReferenceDataStore>()));
        if (settings.Node.HasRole(Roles.Ingest))
        {
            Ready<KafkaPartitionsCheck>(checks, KafkaPartitionsCheck.Name, sp => new KafkaPartitionsCheck(sp.GetRequiredService<ActorSystem>(), management.AskTimeout));
            Ready<IngestProgressCheck>(checks, IngestProgressCheck.Name, sp => new IngestProgressCheck(sp.GetRequiredService<PipelineMetrics>()));
            Ready<KafkaBrokersCheck>(checks, KafkaBrokersCheck.Name,
                sp => new KafkaBrokersCheck(sp.GetRequiredService<ConsumerLagReader>(), settings.Kafka.RawTopic, health, TimeProvider.System));
        }

        if (settings.Node.HasRole(Roles.Windows))
        {
            Ready<WindowJournalCheck>(checks, WindowJournalCheck.Name, sp => new WindowJournalCheck(sp.GetRequiredService<PipelineMetrics>().WindowJournal));
            Ready<JournalDatabaseCheck>(checks, JournalDatabaseCheck.Name,
                sp => new JournalDatabaseCheck(sp.GetRequiredService<JournalDatabase>(), health, TimeProvider.System));
        }

        // A failed check answers on /ready; the health check service would also log it as an error on every probe,
        // a line per probe for as long as an outage lasts (which the failing component logs when it starts and ends).
        services.Configure<LoggerFilterOptions>(o => o.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical));
        return services;
    }

    /// <summary>Liveness from Akka.Hosting: fails once the actor system has terminated, which only a restart mends.</summary>
    public static AkkaConfigurationBuilder WithTrafficLiveness(this AkkaConfigurationBuilder akka) =>
        akka.WithHealthCheck(new AkkaHealthCheckRegistration(LivenessCheck, new ActorSystemLivenessCheck(), HealthStatus.Unhealthy, [HealthTags.Live]));

    // Each check one singleton: the dependency checks keep their cached answer between probes.
    private static void Ready<T>(IHealthChecksBuilder checks, string name, Func<IServiceProvider, T> create)
        where T : class, IHealthCheck
    {
        checks.Services.AddSingleton(create);
        checks.AddCheck<T>(name, HealthStatus.Unhealthy, [HealthTags.Ready]);
    }
}
