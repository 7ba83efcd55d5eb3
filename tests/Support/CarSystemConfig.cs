using Akka.Configuration;
using TrafficActors.Cars;
using TrafficActors.Settings;

namespace TrafficActors.Tests.Support;

/// <summary>What a test actor system needs to host car actors: the car mailbox exactly as traffic.conf ships it.</summary>
internal static class CarSystemConfig
{
    public static Config Mailbox { get; } = ConfigurationFactory.ParseString(
        $"{CarMailbox.ConfigPath}.mailbox-type = \"{TrafficConfig.Load().GetString(CarMailbox.ConfigPath + ".mailbox-type")}\"");
}
