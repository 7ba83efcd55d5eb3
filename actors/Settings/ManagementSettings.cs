using Akka.Configuration;

namespace TrafficActors.Settings;

/// <summary>The <c>traffic.management</c> section: the operations endpoint of a node and the verbs that read it.</summary>
public sealed record ManagementSettings(
    string Host,
    int Port,
    TimeSpan AskTimeout,
    TimeSpan RefreshInterval,
    int MaxChildren,
    int DefaultDepth,
    int MaxDepth,
    TimeSpan ClientTimeout,
    bool FallbackToFreePort)
{
    /// <summary>Timeouts and caching of the dependency checks behind <c>/ready</c>.</summary>
    public required HealthSettings Health { get; init; }

    public static ManagementSettings FromConfig(Config root)
    {
        var m = root.GetConfig("traffic.management") ?? throw new ConfigurationException("missing `traffic.management` section");
        return new ManagementSettings(
            m.GetString("host"), m.GetInt("port"), m.GetTimeSpan("ask-timeout"), m.GetTimeSpan("refresh-interval"),
            m.GetInt("max-children"), m.GetInt("default-depth"), m.GetInt("max-depth"),
            m.GetTimeSpan("client-timeout"), m.GetBoolean("fallback-to-free-port"))
        {
            Health = HealthSettings.FromConfig(m.GetConfig("health") ?? throw new ConfigurationException("missing `traffic.management.health` section")),
        };
    }

    /// <summary>The URL the listener binds to (IPv6 literals bracketed).</summary>
    public string ListenUrl => $"http://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";
}
