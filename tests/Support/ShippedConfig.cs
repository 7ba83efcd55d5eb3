using Akka.Configuration;
using TrafficActors.Settings;

namespace TrafficActors.Tests.Support;

/// <summary>The shipped traffic.conf as a node reads it, with environment overrides from a test's own table.</summary>
internal static class ShippedConfig
{
    public static Config Load(IReadOnlyDictionary<string, string> environment)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", TrafficConfig.BaseFile));
        return ConfigurationFactory.ParseString(HoconEnvironment.Resolve(text, name => environment.GetValueOrDefault(name)));
    }
}
